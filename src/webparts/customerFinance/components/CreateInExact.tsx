import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dropdown } from '@fluentui/react/lib/Dropdown';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { TextField } from '@fluentui/react/lib/TextField';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'CustomerFinanceWebPartStrings';
import { validateDraft, type AccountDraft, type DraftField, type DraftProblemCode } from '../../../finance';
import type { Company } from '../../../finance/company';
import { divisionLabel, type ExactDivision } from '../../../finance/divisions';
import type { AccountSuggestion, FinanceService } from '../../../finance/financeService';
import { format } from '../../../ui/format';
import { LinkProblem } from './LinkProblem';
import { Suggestions } from './Suggestions';

const problemText: Record<DraftProblemCode, () => string> = {
  required: () => strings.ErrorRequired,
  country: () => strings.ErrorCountry,
  kvk: () => strings.ErrorKvk,
  enterpriseNumber: () => strings.ErrorEnterpriseNumber,
  vatFormat: () => strings.ErrorVatFormat,
  vatCheck: () => strings.ErrorVatCheck,
  vatCountry: () => strings.ErrorVatCountry,
  postcode: () => strings.ErrorPostcode,
  email: () => strings.ErrorEmail,
  phone: () => strings.ErrorPhone,
  website: () => strings.ErrorWebsite,
};

const classes = mergeStyleSets({
  form: { display: 'grid', gap: 12, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 220px), 1fr))' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 16 },
});

function fromCompany(company: Company): AccountDraft {
  const country = (company.country ?? '').trim().toUpperCase();
  return {
    name: company.name,
    country: /^(NL|NEDERLAND|NETHERLANDS)$/.test(country) ? 'NL' : /^(BE|BELGIË|BELGIE|BELGIUM)$/.test(country) ? 'BE' : country,
    kvk: company.kvk,
    vat: company.vat,
    addressLine1: company.addressLine1,
    postcode: company.postcode,
    city: company.city,
    email: company.email,
    phone: company.phone,
    website: company.website,
  };
}

type Step = { kind: 'editing' } | { kind: 'checking' } | { kind: 'duplicates'; matches: AccountSuggestion[] } | { kind: 'failed'; error: unknown };

export interface CreateInExactProps {
  company: Company;
  /** Where the account is made (and looked for first): a link is (division, Exact ID). */
  division: ExactDivision;
  finance: FinanceService;
  onDone: (company: Company, note: string) => void;
  onCancel: () => void;
  /** Opens another CRM company's panel: the one an Exact account is already linked to. */
  onOpenCompany?: (company: Company) => void;
}

/** The form prefilled from the CRM company: checked here, then checked against Exact, then created. */
export function CreateInExact(props: CreateInExactProps): React.ReactElement {
  const [draft, setDraft] = React.useState<AccountDraft>(() => fromCompany(props.company));
  const [errors, setErrors] = React.useState<Partial<Record<DraftField, string>>>({});
  const [step, setStep] = React.useState<Step>({ kind: 'editing' });
  const division = props.division;
  // Look-alikes found in one division say nothing about another.
  React.useEffect(() => setStep({ kind: 'editing' }), [division.code]);
  // Matches the person saw and chose not to link: a later retry only stops for new ones.
  const seen = React.useRef<string[]>([]);

  const field = (name: DraftField, label: string, extra: { required?: boolean; type?: string; description?: string } = {}) => (
    <TextField
      label={label}
      required={extra.required}
      type={extra.type}
      description={extra.description}
      value={draft[name] ?? ''}
      errorMessage={errors[name]}
      onChange={(_, value) => setDraft((d) => ({ ...d, [name]: value ?? '' }))}
    />
  );

  const submit = async (): Promise<void> => {
    const checked = validateDraft(draft);
    if (!checked.ok) {
      setErrors(Object.fromEntries(checked.problems.map((p) => [p.field, problemText[p.code]()])));
      return;
    }
    setErrors({});
    setDraft(checked.draft);
    setStep({ kind: 'checking' });
    try {
      const result = await props.finance.create({ company: props.company, draft: checked.draft, seen: seen.current, division: division.code });
      if (result.kind === 'duplicates') {
        seen.current = [...seen.current, ...result.matches.map((m) => m.id)];
        setStep({ kind: 'duplicates', matches: result.matches });
        return;
      }
      props.onDone(result.company, format(result.confirmedAfterTimeout ? strings.CreatedAfterTimeout : strings.Created, result.account.name, result.account.code, divisionLabel(division)));
    } catch (error) {
      setStep({ kind: 'failed', error });
    }
  };

  const link = async (match: AccountSuggestion): Promise<void> => {
    setStep({ kind: 'checking' });
    try {
      props.onDone(await props.finance.link({ company: props.company, account: match, division: division.code }), format(strings.LinkedIn, match.name, divisionLabel(division)));
    } catch (error) {
      setStep({ kind: 'failed', error });
    }
  };

  return (
    <form
      aria-labelledby="create-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <MessageBar messageBarType={MessageBarType.info} isMultiline data-testid="create-intro">
        {format(strings.CreateIntroIn, divisionLabel(division))}
      </MessageBar>
      <div className={classes.form} style={{ marginTop: 12 }}>
        {field('name', strings.FieldName, { required: true })}
        <Dropdown
          label={strings.FieldCountry}
          required
          selectedKey={draft.country || undefined}
          errorMessage={errors.country}
          options={[
            { key: 'NL', text: strings.CountryNL },
            { key: 'BE', text: strings.CountryBE },
          ]}
          onChange={(_, option) => option && setDraft((d) => ({ ...d, country: String(option.key) }))}
        />
        {field('kvk', draft.country === 'BE' ? strings.FieldEnterpriseNumber : strings.FieldKvk)}
        {field('vat', strings.FieldVat, { description: draft.country === 'BE' ? strings.VatHintBE : strings.VatHintNL })}
        {field('addressLine1', strings.FieldAddress)}
        {field('postcode', strings.FieldPostcode)}
        {field('city', strings.FieldCity)}
        {field('email', strings.FieldEmail, { type: 'email' })}
        {field('phone', strings.FieldPhone, { type: 'tel' })}
        {field('website', strings.FieldWebsite)}
      </div>
      {step.kind === 'duplicates' ? (
        <div style={{ marginTop: 16 }} data-testid="duplicates">
          <MessageBar messageBarType={MessageBarType.warning} isMultiline>
            {strings.DuplicatesFound}
          </MessageBar>
          <div style={{ marginTop: 8 }}>
            <Suggestions suggestions={step.matches} onLink={(m) => void link(m)} linkText={strings.LinkInstead} />
          </div>
        </div>
      ) : null}
      {step.kind === 'failed' ? (
        <div style={{ marginTop: 16 }}>
          <LinkProblem error={step.error} lead={strings.CreateFailed} onOpenCompany={props.onOpenCompany} />
        </div>
      ) : null}
      <div className={classes.actions}>
        {step.kind === 'checking' ? (
          <Spinner size={SpinnerSize.medium} label={strings.Creating} labelPosition="right" />
        ) : (
          <>
            {step.kind === 'duplicates' ? (
              // Linking the best match is the primary action (in the list above); a new account is the exception.
              <DefaultButton type="submit" text={strings.CreateAnyway} />
            ) : (
              <PrimaryButton type="submit" text={step.kind === 'failed' ? strings.CreateRetry : strings.CreateButton} />
            )}
            <DefaultButton text={strings.CancelButton} onClick={props.onCancel} />
          </>
        )}
      </div>
    </form>
  );
}
