import type { IRawStyle } from '@fluentui/react/lib/Styling';
import type { Theme } from '@fluentui/react/lib/Theme';

/**
 * A button that is one of several choices (a customer in a list, a division to show): a card with
 * the chosen one marked by the theme's colour and a bar at its start, so it reads the same in a
 * customer list and a division switch, in light, dark and high contrast.
 */
export function choiceStyles(theme: Theme): { choice: IRawStyle; chosen: IRawStyle } {
  return {
    choice: {
      textAlign: 'left',
      font: 'inherit',
      color: theme.semanticColors.bodyText,
      background: theme.semanticColors.bodyBackground,
      border: `1px solid ${theme.palette.neutralQuaternaryAlt}`,
      borderRadius: 4,
      padding: '8px 12px',
      cursor: 'pointer',
      selectors: {
        ':hover': { background: theme.palette.neutralLighter, borderColor: theme.palette.neutralTertiary },
        ':focus-visible': { outline: `2px solid ${theme.palette.themePrimary}`, outlineOffset: '1px' },
      },
    },
    chosen: { borderColor: theme.palette.themePrimary, boxShadow: `inset 4px 0 0 ${theme.palette.themePrimary}`, background: theme.palette.themeLighterAlt },
  };
}
