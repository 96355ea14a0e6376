import * as React from 'react';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { ComboBox, type IComboBoxOption } from '@fluentui/react/lib/ComboBox';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import { TextField } from '@fluentui/react/lib/TextField';
import * as strings from 'OrderProfilesStrings';
import type { CustomerBlocker, DivisionCatalog, OrderPlan, ProductBlocker } from '../../../../orders/plan';
import type { OrderProfile } from '../../../../orders/profile';
import { useConnector } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';
import type { OrdersPage } from './ordersPage';

const classes = mergeStyleSets({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 12 },
  // A card per blocker: what it is on top, the choice and "map now" under it, wrapping at 320 px.
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: 8, padding: 12, border: '1px solid rgba(128,128,128,0.35)', borderRadius: 4, minWidth: 0 },
  what: { flexBasis: '100%', overflowWrap: 'anywhere', fontWeight: 600 },
  facts: { flexBasis: '100%', margin: 0, display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', gap: '2px 12px' },
  dt: { opacity: 0.8 },
  dd: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  picker: { flex: '1 1 240px', minWidth: 0 },
  price: { flex: '0 1 160px', minWidth: 0 },
});

const maxOptions = 100;

/** `12,50`, `1.234,50` and `12.50` as numbers; empty is "from the report" (null); NaN when not a number. */
function parsePrice(text: string): number | null {
  const t = text.trim().replace(/\s/g, '');
  if (t === '') return null;
  return Number(/,\d{1,4}$/.test(t) ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, ''));
}
const words = (text: string): string[] => text.toLowerCase().split(/[^a-z0-9\u00c0-\u024f]+/).filter((w) => w.length > 1);

/** Options whose text holds every word typed; the best first, at most 100 (a division can hold thousands). */
function matching(options: IComboBoxOption[], typed: string): IComboBoxOption[] {
  const wanted = words(typed);
  if (!wanted.length) return options.slice(0, maxOptions);
  const scored = options.map((o) => ({ o, score: wanted.filter((w) => o.text.toLowerCase().includes(w)).length })).filter((x) => x.score > 0);
  return scored.sort((a, b) => b.score - a.score).slice(0, maxOptions).map((x) => x.o);
}

function Picker(props: { label: string; options: IComboBoxOption[]; initialSearch: string; selected: string | undefined; onSelect: (key: string) => void }): React.ReactElement {
  const [typed, setTyped] = React.useState(props.initialSearch);
  const shown = React.useMemo(() => matching(props.options, typed), [props.options, typed]);
  return (
    <ComboBox
      className={classes.picker}
      label={props.label}
      allowFreeform
      autoComplete="off"
      options={shown}
      selectedKey={props.selected ?? null}
      onInputValueChange={(value) => setTyped(value)}
      onChange={(_, option) => option && props.onSelect(String(option.key))}
      useComboBoxAsMenuWidth
    />
  );
}

function CustomerRow(props: { blocker: CustomerBlocker; options: IComboBoxOption[]; onMap: (accountId: string) => Promise<void> }): React.ReactElement {
  const { blocker } = props;
  const [selected, setSelected] = React.useState<string>();
  const [busy, setBusy] = React.useState(false);
  const text = format(blocker.reason === 'ambiguous' ? strings.BlockedCustomerAmbiguous : strings.BlockedCustomer, blocker.customerName, blocker.customerId, blocker.lines.join(', '));
  return (
    <li className={classes.row}>
      <Text className={classes.what}>{text}</Text>
      {(blocker.kvk || blocker.vatNumber) && (
        <dl className={classes.facts}>
          {blocker.kvk && <><dt className={classes.dt}>{strings.FactKvk}</dt><dd className={classes.dd}>{blocker.kvk}</dd></>}
          {blocker.vatNumber && <><dt className={classes.dt}>{strings.FactVatNumber}</dt><dd className={classes.dd}>{blocker.vatNumber}</dd></>}
        </dl>
      )}
      <Picker label={format(strings.ChooseAccount, blocker.customerName)} options={props.options} initialSearch={blocker.customerName} selected={selected} onSelect={setSelected} />
      <PrimaryButton text={strings.MapNow} ariaLabel={format(strings.MapNowFor, blocker.customerName)} disabled={!selected || busy} onClick={() => { if (selected) { setBusy(true); void props.onMap(selected).finally(() => setBusy(false)); } }} />
    </li>
  );
}

function ProductRow(props: { blocker: ProductBlocker; options: IComboBoxOption[]; priceLabel: string; onMap: (itemId: string, price: number | null) => Promise<void> }): React.ReactElement {
  const { blocker } = props;
  const { locale } = useConnector();
  const [selected, setSelected] = React.useState<string>();
  const [price, setPrice] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const parsed = parsePrice(price);
  const priceValid = parsed === null || Number.isFinite(parsed);
  const text = blocker.reason === 'unknownVat'
    ? format(strings.BlockedVat, blocker.sku, blocker.vatCode ?? '', blocker.lines.join(', '))
    : format(strings.BlockedProduct, blocker.sku, blocker.description, blocker.lines.join(', '));
  return (
    <li className={classes.row} lang={locale}>
      <Text className={classes.what}>{text}</Text>
      <Picker label={format(strings.ChooseItem, blocker.sku)} options={props.options} initialSearch={blocker.description} selected={selected} onSelect={setSelected} />
      <TextField className={classes.price} label={props.priceLabel} value={price} onChange={(_, v) => setPrice(v ?? '')} inputMode="decimal" errorMessage={priceValid ? undefined : strings.PriceInvalid} />
      <PrimaryButton text={strings.MapNow} ariaLabel={format(strings.MapNowFor, blocker.sku)} disabled={!selected || !priceValid || busy} onClick={() => { if (selected) { setBusy(true); void props.onMap(selected, parsed).finally(() => setBusy(false)); } }} />
    </li>
  );
}

/** Unmapped customers and products, each with "map now" in place; the profile remembers the choice. */
export function OrderBlockers(props: { page: OrdersPage; profile: OrderProfile; plan: OrderPlan; mapped: string | undefined; onMapped: (profile: OrderProfile, message: string) => void }): React.ReactElement | null {
  const { page, profile, plan } = props;
  const [catalog, setCatalog] = React.useState<DivisionCatalog>();
  const [error, setError] = React.useState<unknown>();
  const done = props.mapped;
  const blocked = plan.blockedCustomers.length + plan.blockedProducts.length > 0;
  React.useEffect(() => {
    if (blocked) page.service.catalog(profile.division).then(setCatalog, setError);
  }, [blocked, page.service, profile.division]);
  const accountOptions = React.useMemo(() => (catalog?.accounts ?? []).map((a) => ({ key: a.id, text: `${a.name} (${a.code})${a.kvk ? ` KvK ${a.kvk}` : ''}` })), [catalog]);
  const itemOptions = React.useMemo(() => (catalog?.items ?? []).map((i) => ({ key: i.id, text: `${i.code} ${i.description}` })), [catalog]);
  if (!blocked && !done) return null;
  const run = async (work: () => Promise<OrderProfile>, what: string, to: string): Promise<void> => {
    setError(undefined);
    try {
      const saved = await work();
      props.onMapped(saved, format(strings.Mapped, what, to));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section id="order-blockers" title={strings.BlockersTitle}>
      {done && <MessageBar messageBarType={MessageBarType.success} role="status">{done}</MessageBar>}
      {blocked && <Text>{strings.BlockersIntro}</Text>}
      {error !== undefined && <ProblemMessage error={error} lead={strings.PlanFailed} />}
      {blocked && !catalog && error === undefined && <Spinner size={SpinnerSize.small} label={strings.LoadingCatalog} labelPosition="right" />}
      {blocked && <ul className={classes.list} aria-label={strings.BlockersTitle}>
        {plan.blockedCustomers.map((b) => (
          <CustomerRow key={`c-${b.customerId}`} blocker={b} options={accountOptions} onMap={(accountId) => run(() => page.service.mapCustomer(profile, b.customerId, accountId), b.customerName, accountOptions.find((o) => o.key === accountId)?.text ?? accountId)} />
        ))}
        {plan.blockedProducts.map((b) => (
          <ProductRow key={`p-${b.sku}`} blocker={b} options={itemOptions} priceLabel={profile.source.kind === 'crmLists' ? strings.PriceOverrideCrm : strings.PriceOverride} onMap={(itemId, price) => run(() => page.service.mapProduct(profile, b.sku, itemId, price), b.sku, itemOptions.find((o) => o.key === itemId)?.text ?? itemId)} />
        ))}
      </ul>}
    </Section>
  );
}
