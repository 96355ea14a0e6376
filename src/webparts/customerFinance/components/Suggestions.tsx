import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Text } from '@fluentui/react/lib/Text';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { AccountSuggestion } from '../../../finance/financeService';
import { format } from '../../../ui/format';

const signalText = (suggestion: AccountSuggestion): string => {
  switch (suggestion.signal) {
    case 'kvk':
      return strings.SignalKvk;
    case 'vat':
      return strings.SignalVat;
    case 'code':
      return strings.SignalCode;
    case 'emailDomainAndName':
      return strings.SignalEmail;
    default:
      return strings.SignalName;
  }
};

/** Exact accounts that look like the company, each with why, and a button to link it. */
export function Suggestions(props: { suggestions: AccountSuggestion[]; busy?: string; onLink: (suggestion: AccountSuggestion) => void; linkText?: string }): React.ReactElement {
  // The strongest match is what the person most likely wants: its button is the primary one.
  const best = props.suggestions[0]?.id;
  const theme = useTheme();
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: 8 }} aria-label={strings.SuggestionsLabel}>
      {props.suggestions.map((s) => (
        <li key={s.id} data-testid="suggestion" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', justifyContent: 'space-between', border: `1px solid ${theme.palette.neutralQuaternaryAlt}`, borderRadius: 4, padding: '8px 12px' }}>
          <div style={{ minWidth: 0 }}>
            <Text block styles={{ root: { fontWeight: 600, overflowWrap: 'anywhere' } }}>
              {s.name} ({s.code})
            </Text>
            {s.id === best && props.suggestions.length > 1 ? (
              <Text variant="small" block styles={{ root: { color: theme.palette.themeDarkAlt, fontWeight: 600 } }}>
                {strings.BestMatch}
              </Text>
            ) : null}
            <Text variant="small" block>
              {[s.postcode, s.city].filter(Boolean).join(' ')} · {format(strings.MatchedOn, signalText(s))}
            </Text>
          </div>
          {s.id === best ? (
            <PrimaryButton text={props.linkText ?? strings.LinkButton} ariaLabel={format(strings.LinkTo, s.name)} disabled={props.busy !== undefined} onClick={() => props.onLink(s)} data-testid="link-best" />
          ) : (
            <DefaultButton text={props.linkText ?? strings.LinkButton} ariaLabel={format(strings.LinkTo, s.name)} disabled={props.busy !== undefined} onClick={() => props.onLink(s)} />
          )}
        </li>
      ))}
    </ul>
  );
}
