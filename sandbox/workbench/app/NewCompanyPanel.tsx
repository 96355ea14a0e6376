import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Panel, PanelType } from '@fluentui/react/lib/Panel';
import { Text } from '@fluentui/react/lib/Text';
import { TextField } from '@fluentui/react/lib/TextField';
import type { SPFI } from '@pnp/sp';
import '@pnp/sp/webs';
import '@pnp/sp/lists';
import '@pnp/sp/items';
import { z } from 'zod';
import { ProblemMessage } from '../../../src/ui/components/ProblemMessage';
import type { WorkbenchStrings } from './strings';

const fields = ['Title', 'KvkNumber', 'VatNumber', 'AddressLine1', 'Postcode', 'City', 'Country', 'Email', 'Phone', 'Website'] as const;
type Field = (typeof fields)[number];
const labelOf = (t: WorkbenchStrings): Record<Field, string> => ({
  Title: t.fieldTitle,
  KvkNumber: t.fieldKvk,
  VatNumber: t.fieldVat,
  AddressLine1: t.fieldAddress,
  Postcode: t.fieldPostcode,
  City: t.fieldCity,
  Country: t.fieldCountry,
  Email: t.fieldEmail,
  Phone: t.fieldPhone,
  Website: t.fieldWebsite,
});
const added = z.object({ Id: z.number().int().positive() });

/**
 * The Companies list's New form, as SharePoint shows it in a panel: the company's columns, the
 * name required, text at most 255 characters. Save adds one item (the button is off while it
 * saves, so a double click adds one); the caller then offers Create in Exact for it.
 */
export function NewCompanyPanel(props: { sp: SPFI; strings: WorkbenchStrings; onAdded: (company: { id: number; name: string }) => void; onDismiss: () => void }): React.ReactElement {
  const t = props.strings;
  const labels = labelOf(t);
  const [values, setValues] = React.useState<Partial<Record<Field, string>>>({});
  const [touched, setTouched] = React.useState(false);
  const [saving, setSaving] = React.useState(false);
  const [error, setError] = React.useState<unknown>();
  const problemOf = (field: Field): string | undefined => {
    const value = (values[field] ?? '').trim();
    if (field === 'Title' && !value) return touched ? t.companiesRequired : undefined;
    return value.length > 255 ? t.companiesTooLong : undefined;
  };
  const save = async (): Promise<void> => {
    setTouched(true);
    if (!(values.Title ?? '').trim() || fields.some((f) => (values[f] ?? '').trim().length > 255)) return;
    setSaving(true);
    setError(undefined);
    const body: Record<string, unknown> = {};
    for (const field of fields) {
      const value = (values[field] ?? '').trim();
      if (!value) continue;
      // Website is a hyperlink column: SharePoint takes it as { Url, Description }.
      body[field] = field === 'Website' ? { Url: /^https?:\/\//i.test(value) ? value : `https://${value}`, Description: value } : value;
    }
    try {
      const item = added.parse(await props.sp.web.lists.getByTitle('Companies').items.add(body));
      props.onAdded({ id: item.Id, name: String(body.Title) });
    } catch (e) {
      setError(e);
      setSaving(false);
    }
  };
  return (
    <Panel
      isOpen
      type={PanelType.medium}
      headerText={t.companiesNewTitle}
      closeButtonAriaLabel={t.companiesCancel}
      onDismiss={props.onDismiss}
      isFooterAtBottom
      onRenderFooterContent={() => (
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          <PrimaryButton text={saving ? t.companiesSaving : t.companiesSave} disabled={saving} onClick={() => void save()} />
          <DefaultButton text={t.companiesCancel} disabled={saving} onClick={props.onDismiss} />
        </div>
      )}
    >
      <form
        noValidate
        aria-label={t.companiesNewTitle}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
      >
        <Text as="p" block styles={{ root: { margin: '8px 0 0' } }}>
          {t.companiesNewIntro}
        </Text>
        {error ? <ProblemMessage error={error} lead={t.companiesAddFailed} /> : null}
        {fields.map((field) => (
          <TextField
            key={field}
            label={labels[field]}
            required={field === 'Title'}
            type={field === 'Email' ? 'email' : field === 'Phone' ? 'tel' : 'text'}
            value={values[field] ?? ''}
            errorMessage={problemOf(field)}
            autoFocus={field === 'Title'}
            onChange={(_, value) => setValues((v) => ({ ...v, [field]: value ?? '' }))}
          />
        ))}
        {/* Enter in a field saves, as in SharePoint's form. */}
        <button type="submit" hidden />
      </form>
    </Panel>
  );
}
