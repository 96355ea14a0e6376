import * as React from 'react';
import * as ReactDom from 'react-dom';
import { ActionButton } from '@fluentui/react/lib/Button';
import { Text } from '@fluentui/react/lib/Text';
import { PropertyPaneFieldType, type IPropertyPaneCustomFieldProps, type IPropertyPaneField } from '@microsoft/sp-property-pane';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { ConnectorEnvironment } from '../../../ui/ConnectorContext';
import { useConnector } from '../../../ui/ConnectorContext';
import { ConnectorRoot } from '../../../ui/ConnectorRoot';
import { format } from '../../../ui/format';
import { namedTheme } from '../../../ui/theme';
import { useAsync } from '../../../ui/useAsync';
import { CustomerPicker } from '../components/CustomerPicker';

function CompanyPaneField(props: { companyId?: string; onChange: (companyId: string) => void }): React.ReactElement {
  const { services } = useConnector();
  const [companyId, setCompanyId] = React.useState(props.companyId?.trim() ?? '');
  const current = useAsync(async () => (/^[1-9]\d*$/.test(companyId) ? (await services.finance()).companies.get(Number(companyId)) : undefined), [services, companyId]);
  const change = (next: string): void => {
    setCompanyId(next);
    props.onChange(next);
  };
  const name = current.state.status === 'ready' ? current.state.value?.name : undefined;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8, padding: '4px 0 12px' }}>
      <Text block role="status">
        {companyId ? format(strings.CompanyChosen, name ?? `#${companyId}`) : strings.CompanyFromPage}
      </Text>
      {companyId ? <ActionButton iconProps={{ iconName: 'Clear' }} text={strings.CompanyClear} onClick={() => change('')} styles={{ root: { paddingLeft: 0 } }} /> : null}
      <CustomerPicker id="pane-company" mode="choose" chosenId={companyId ? Number(companyId) : undefined} onChoose={(choice) => change(String(choice.id))} />
    </div>
  );
}

/**
 * The company as a search over the Companies list in the property pane: in Teams this pane is the
 * channel tab's settings page (`openPropertyPane=true`), where nobody knows a list item's ID.
 * Without services (gateway not set up yet) the pane falls back to the ID field.
 */
export function companyPickerField(options: { value: () => string | undefined; environment: () => ConnectorEnvironment | undefined }): IPropertyPaneField<IPropertyPaneCustomFieldProps> | undefined {
  if (!options.environment()) return undefined;
  return {
    type: PropertyPaneFieldType.Custom,
    targetProperty: 'companyId',
    properties: {
      key: 'customerFinanceCompanyPicker',
      onRender: (element, _context, changed) => {
        const environment = options.environment();
        if (!environment) return;
        ReactDom.render(
          <ConnectorRoot environment={environment} theme={namedTheme('light')}>
            <CompanyPaneField companyId={options.value()} onChange={(next) => changed?.('companyId', next)} />
          </ConnectorRoot>,
          element,
        );
      },
      onDispose: (element) => {
        ReactDom.unmountComponentAtNode(element);
      },
    },
  };
}
