import * as React from 'react';
import { ActionButton } from '@fluentui/react/lib/Button';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'CustomerFinanceWebPartStrings';
import { CustomerFinancePanel } from '../CustomerFinancePanel';
import { useConnector } from '../../../../ui/ConnectorContext';
import { CustomerPicker } from '../CustomerPicker';
import { choiceOf, recentCustomers, type CustomerChoice } from './recentCustomers';

/** Below this width (Teams mobile, a narrow window) the list and the panel take turns. */
const STACKED_QUERY = '(max-width: 719px)';
const STACKED = `@media ${STACKED_QUERY}`;

function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * "My customers", the personal app for sales: find a customer (recently opened ones first) and see
 * their panel beside the list; on a phone or in a narrow window the panel replaces the list, with
 * a way back at its top.
 */
export function MyCustomers(props: { user: string; openCompanyId?: number }): React.ReactElement {
  const theme = useTheme();
  const { services } = useConnector();
  const store = React.useMemo(() => recentCustomers(browserStorage(), props.user), [props.user]);
  const [recent, setRecent] = React.useState<CustomerChoice[]>(() => store.list());
  const [open, setOpen] = React.useState<CustomerChoice | undefined>();
  const panelRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => setRecent(store.list()), [store]);
  // A deep link to the app (Teams' subEntityId `company:<id>`) opens that customer straight away;
  // it joins "Recently opened" once its name is read.
  React.useEffect(() => {
    const id = props.openCompanyId;
    if (id === undefined) return undefined;
    setOpen({ id, name: '', linked: false });
    let live = true;
    services
      .finance()
      .then((finance) => finance.companies.get(id))
      .then(
        (company) => live && setRecent(store.remember(choiceOf(company))),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [props.openCompanyId, services, store]);

  const classes = mergeStyleSets({
    root: { display: 'grid', gridTemplateColumns: 'minmax(260px, 340px) minmax(0, 1fr)', gap: 24, alignItems: 'start', minWidth: 0, selectors: { [STACKED]: { gridTemplateColumns: 'minmax(0, 1fr)', gap: 12 } } },
    list: { display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 },
    listWhileOpen: { selectors: { [STACKED]: { display: 'none' } } },
    panel: { minWidth: 0, outline: 'none', paddingLeft: 24, borderLeft: `1px solid ${theme.palette.neutralQuaternaryAlt}`, selectors: { [STACKED]: { paddingLeft: 0, borderLeft: 0 } } },
    hint: {
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      minHeight: 240,
      marginTop: 40,
      padding: 24,
      border: `1px dashed ${theme.palette.neutralTertiaryAlt}`,
      borderRadius: 4,
      textAlign: 'center',
      color: theme.semanticColors.bodySubtext,
      selectors: { [STACKED]: { display: 'none' } },
    },
    back: { display: 'none', selectors: { [STACKED]: { display: 'inline-flex', marginBottom: 4, paddingLeft: 0 } } },
  });

  const choose = (choice: CustomerChoice): void => {
    setRecent(store.remember(choice));
    setOpen(choice);
    // The list holds a copy: the CRM's company replaces it, and one the CRM no longer has leaves it.
    services
      .finance()
      .then((finance) => finance.companies.get(choice.id))
      .then(
        (company) => setRecent(store.refresh(choiceOf(company))),
        (error: unknown) => {
          if ((error as { status?: unknown } | null)?.status === 404) setRecent(store.forget(choice.id));
        },
      );
    // On a phone the panel replaces the list: start reading (and tabbing) at its top. Side by side,
    // focus stays in the list, for the next customer.
    if (window.matchMedia?.(STACKED_QUERY).matches) requestAnimationFrame(() => panelRef.current?.focus());
  };

  const back = (): void => {
    setOpen(undefined);
    // The button is gone with the panel: focus goes back to where the person searches.
    requestAnimationFrame(() => document.getElementById('my-customers-search')?.focus());
  };

  return (
    <div className={classes.root} data-testid="my-customers">
      <div className={open ? `${classes.list} ${classes.listWhileOpen}` : classes.list}>
        <Text as="h1" variant="xLarge" block styles={{ root: { margin: 0, fontWeight: 600 } }}>
          {strings.MyCustomersTitle}
        </Text>
        <Text as="p" block styles={{ root: { margin: 0 } }}>
          {strings.MyCustomersIntro}
        </Text>
        <CustomerPicker id="my-customers" mode="open" chosenId={open?.id} recent={recent} onChoose={choose} />
      </div>
      {open ? (
        <div className={classes.panel} ref={panelRef} tabIndex={-1} data-testid="my-customers-panel">
          <ActionButton className={classes.back} iconProps={{ iconName: 'Back' }} text={strings.BackToCustomers} onClick={back} />
          <CustomerFinancePanel key={open.id} companyId={open.id} />
        </div>
      ) : (
        <div className={classes.hint}>
          <Text as="p" block styles={{ root: { margin: 0, color: 'inherit' } }}>
            {strings.ChooseCustomerHint}
          </Text>
        </div>
      )}
    </div>
  );
}
