import * as React from 'react';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import * as strings from 'CustomerFinanceWebPartStrings';
import { divisionLabel, type ExactDivision } from '../../../finance/divisions';
import type { CustomerInDivisions } from '../../../finance/financeService';
import { format } from '../../../ui/format';

/** The division to look in and create in; the default first, and where this customer already is, said. */
export function DivisionPicker(props: { customer: CustomerInDivisions; division: ExactDivision; onChange: (code: number) => void; disabled?: boolean }): React.ReactElement {
  const { customer } = props;
  const options: IDropdownOption[] = customer.divisions.map((d) => {
    const already = customer.links.find((link) => link.division.code === d.code);
    const label = d.code === customer.defaultDivision.code ? format(strings.DivisionDefault, divisionLabel(d)) : divisionLabel(d);
    return { key: d.code, text: already ? format(strings.DivisionHasCustomer, label, already.company.name) : label };
  });
  return (
    <Dropdown
      label={strings.DivisionLabel}
      options={options}
      selectedKey={props.division.code}
      disabled={props.disabled}
      onChange={(_, option) => option && props.onChange(Number(option.key))}
      styles={{ root: { maxWidth: 480 }, title: { height: 'auto', minHeight: 32, whiteSpace: 'normal', lineHeight: '20px', padding: '5px 28px 5px 8px' } }}
      data-testid="division-picker"
    />
  );
}
