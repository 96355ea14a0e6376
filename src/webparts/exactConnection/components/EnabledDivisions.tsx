import * as React from 'react';
import { Checkbox } from '@fluentui/react/lib/Checkbox';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ExactConnectionWebPartStrings';
import type { ConnectionStatus } from '../../../services/types';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { Section } from '../../../ui/components/Section';
import { format } from '../../../ui/format';

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 12 },
  list: { display: 'flex', flexDirection: 'column', gap: 8, margin: 0, padding: 0, border: 0 },
});

/**
 * Which administrations of the connection the CRM may use. The gateway serves only these
 * (least privilege: an accountant's Exact user may reach every client's books); the default
 * division is always one of them, so it cannot be unticked.
 */
export function EnabledDivisions(props: { status: ConnectionStatus; onUpdated: (status: ConnectionStatus, message?: string) => void }): React.ReactElement {
  const { services } = useConnector();
  const { status } = props;
  const divisions = status.divisions ?? [];
  const stored = React.useMemo(() => new Set(status.enabledDivisions ?? (status.division ? [status.division] : [])), [status.enabledDivisions, status.division]);
  const [chosen, setChosen] = React.useState<Set<number>>(stored);
  const [saving, setSaving] = React.useState(false);
  const [error, setError] = React.useState<unknown>();
  React.useEffect(() => setChosen(new Set(stored)), [stored]);

  const changed = chosen.size !== stored.size || Array.from(chosen).some((code) => !stored.has(code));
  const toggle = (code: number, checked: boolean): void => {
    const next = new Set(chosen);
    if (checked) next.add(code);
    else next.delete(code);
    setChosen(next);
  };
  const save = (): void => {
    const codes = divisions.map((d) => d.code).filter((code) => chosen.has(code) || code === status.division);
    setSaving(true);
    setError(undefined);
    services.connection.chooseEnabledDivisions(codes).then(
      (next) => {
        setSaving(false);
        const names = divisions.filter((d) => codes.includes(d.code)).map((d) => `${d.description} (${d.code})`).join(', ');
        props.onUpdated(next, format(strings.EnabledDivisionsSaved, names));
      },
      (e: unknown) => {
        setSaving(false);
        setError(e);
      },
    );
  };

  return (
    <Section id="exact-enabled-divisions" title={strings.EnabledDivisionsTitle}>
      <div className={classes.stack}>
        <Text as="p" variant="small" block styles={{ root: { margin: 0 } }}>
          {strings.EnabledDivisionsHelp}
        </Text>
        {error ? <ProblemMessage error={error} /> : null}
        <fieldset className={classes.list} aria-label={strings.EnabledDivisionsTitle}>
          {divisions.map((d) => {
            const name = `${d.description} (${d.code})`;
            const isDefault = d.code === status.division;
            return (
              <Checkbox
                key={d.code}
                label={isDefault ? format(strings.EnabledDivisionsDefault, name) : name}
                checked={isDefault || chosen.has(d.code)}
                disabled={isDefault || saving}
                onChange={(_, checked) => toggle(d.code, checked === true)}
              />
            );
          })}
        </fieldset>
        <div>
          <PrimaryButton text={strings.EnabledDivisionsSave} onClick={save} disabled={!changed || saving} />
        </div>
      </div>
    </Section>
  );
}
