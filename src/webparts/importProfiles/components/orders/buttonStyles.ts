import type { IButtonStyles } from '@fluentui/react/lib/Button';

/**
 * A button whose words wrap onto a second line in a narrow column (Teams' 320 px, a dialog there)
 * and grow it, instead of squeezing two lines into Fluent's fixed 32 px height.
 */
export const wrappingButton: IButtonStyles = {
  root: { height: 'auto', minHeight: 32, maxWidth: '100%', paddingTop: 5, paddingBottom: 5 },
  label: { lineHeight: '20px', whiteSpace: 'normal', overflowWrap: 'break-word' },
};
