import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { ChoiceGroup } from '@fluentui/react/lib/ChoiceGroup';
import { Dropdown } from '@fluentui/react/lib/Dropdown';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { TextField } from '@fluentui/react/lib/TextField';
import * as strings from 'OrderProfilesStrings';
import { CrmProfileExistsError } from '../../../../orders/crmSource';
import type { OrderProfile } from '../../../../orders/profile';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';
import { divisionLabel } from '../divisions';
import type { OrdersPage } from './ordersPage';
import { OrderTargetChoice, targetChosen, type TargetChoice } from './OrderTargetChoice';

const classes = mergeStyleSets({
  form: { display: 'flex', flexDirection: 'column', gap: 12, maxWidth: 560 },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: 8 },
});

/** A new order profile: name, administration, where its orders come from, what it creates, the reference prefix and defaults. */
export function NewOrderProfile(props: { page: OrdersPage; onSaved: (profile: OrderProfile) => void; onCancel: () => void }): React.ReactElement {
  const { page } = props;
  const [title, setTitle] = React.useState('');
  const [division, setDivision] = React.useState<number | undefined>(page.defaultDivision);
  const [target, setTarget] = React.useState<TargetChoice>({ target: 'salesOrder', journal: undefined });
  const [source, setSource] = React.useState<'billingReport' | 'crmLists'>('billingReport');
  const [prefix, setPrefix] = React.useState('IM');
  const [vatCode, setVatCode] = React.useState('');
  const [paymentCondition, setPaymentCondition] = React.useState('');
  const [saving, setSaving] = React.useState(false);
  const [error, setError] = React.useState<unknown>();
  const prefixValid = /^[A-Za-z0-9-]{1,8}$/.test(prefix.trim());
  const canSave = title.trim() !== '' && division !== undefined && prefixValid && targetChosen(target) && !saving;

  const save = async (): Promise<void> => {
    if (division === undefined) return;
    setSaving(true);
    setError(undefined);
    try {
      const made = target.target === 'exactGlobe'
        ? { target: 'exactGlobe' as const }
        : { target: 'exactOnline' as const, document: target.target, journal: target.target === 'salesInvoice' ? target.journal ?? null : null };
      props.onSaved(await page.service.createProfile({ title: title.trim(), division, ...made, source, referencePrefix: prefix.trim(), vatCode: vatCode.trim() || null, paymentCondition: paymentCondition.trim() || null }));
    } catch (e) {
      setError(e);
      setSaving(false);
    }
  };

  return (
    <Section id="new-order-profile" title={strings.NewProfile}>
      <form className={classes.form} onSubmit={(e) => { e.preventDefault(); if (canSave) void save(); }}>
        <TextField label={strings.FieldTitle} required value={title} onChange={(_, v) => setTitle(v ?? '')} />
        <Dropdown
          label={strings.FieldDivision}
          required
          selectedKey={division}
          options={page.divisions.map((d) => ({ key: d.code, text: divisionLabel(d.code, page.divisions) }))}
          onChange={(_, option) => setDivision(option ? Number(option.key) : undefined)}
        />
        <ChoiceGroup
          label={strings.FieldSource}
          selectedKey={source}
          options={[{ key: 'billingReport', text: strings.SourceReport }, { key: 'crmLists', text: strings.SourceCrm }]}
          onChange={(_, option) => {
            if (!option) return;
            const next = option.key as 'billingReport' | 'crmLists';
            setSource(next);
            // The suggested prefix follows the source until the admin types their own.
            setPrefix((current) => (current === 'IM' || current === 'CRM' ? (next === 'crmLists' ? 'CRM' : 'IM') : current));
          }}
        />
        <OrderTargetChoice page={page} division={division} value={target} onChange={setTarget} invoices={source === 'billingReport'} globe={source === 'billingReport'} />
        <TextField label={strings.FieldPrefix} description={strings.FieldPrefixHelp} required value={prefix} maxLength={8} onChange={(_, v) => setPrefix(v ?? '')} errorMessage={prefixValid ? undefined : strings.FieldPrefixHelp} />
        <TextField label={strings.FieldVatCode} value={vatCode} onChange={(_, v) => setVatCode(v ?? '')} />
        <TextField label={strings.FieldPaymentCondition} value={paymentCondition} onChange={(_, v) => setPaymentCondition(v ?? '')} />
        {error instanceof CrmProfileExistsError && <MessageBar messageBarType={MessageBarType.warning} isMultiline>{format(strings.CrmProfileExists, error.existingTitle, divisionLabel(error.division, page.divisions))}</MessageBar>}
        {error !== undefined && !(error instanceof CrmProfileExistsError) && <ProblemMessage error={error} lead={strings.SaveFailed} />}
        <div className={classes.buttons}>
          <PrimaryButton type="submit" text={strings.Save} disabled={!canSave} />
          <DefaultButton text={strings.Cancel} onClick={props.onCancel} />
        </div>
      </form>
    </Section>
  );
}
