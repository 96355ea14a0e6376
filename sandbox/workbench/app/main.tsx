import * as React from 'react';
import * as ReactDom from 'react-dom';
import { initializeIcons } from '@fluentui/react/lib/Icons';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { ThemeProvider } from '@fluentui/react/lib/Theme';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { spfi, SPFx } from '@pnp/sp';
import * as commonStrings from 'CommonStrings';
import { siteContext } from '../../../src/crm/pnp';
import { isConfigured, pinnedSettings, readTenantSettings, type ConnectorSettings } from '../../../src/services/connectorSettings';
import { createConnectorServices } from '../../../src/services/createConnectorServices';
import { popupConnector } from '../../../src/services/popupConnector';
import type { ConnectorServices } from '../../../src/services/types';
import { ConnectorRoot } from '../../../src/ui/ConnectorRoot';
import { useServices } from '../../../src/ui/ConnectorContext';
import { format } from '../../../src/ui/format';
import { formattingLocale } from '../../../src/ui/locale';
import { namedTheme } from '../../../src/ui/theme';
import { useAsync } from '../../../src/ui/useAsync';
import { ExactConnectionPage } from '../../../src/webparts/exactConnection/components/ExactConnectionPage';
import { ImportProfilesPage } from '../../../src/webparts/importProfiles/components/ImportProfilesPage';
import { settingsRefusalText } from '../../../src/webparts/common/settingsRefusal';
import { ProfileEditorPage } from './ProfileEditorPage';
import { preferences, readWorkbenchConfig, type WorkbenchConfig } from './config';
import { workbenchSession, type SignedIn } from './session';
import { CompaniesPage, CustomerPage } from './CompaniesPage';
import { SalesOrdersPage } from './SalesOrdersPage';
import { Shell } from './Shell';
import { SignIn } from './SignIn';
import { workbenchStrings, type WorkbenchStrings } from './strings';

// Fluent's icon font files come from the installed package (the workbench serves them), not
// from Microsoft's CDN: the sandbox works offline.
initializeIcons('/workbench/fonts/', { disableWarnings: true });

/** The site's pages: the same root components the SPFx web parts render. */
const pages: Record<string, { title: (t: WorkbenchStrings) => string; render: (t: WorkbenchStrings, config: WorkbenchConfig) => React.ReactElement }> = {
  '/': { title: (t) => t.navHome, render: (t) => <Home strings={t} /> },
  '/pages/exact-connection': { title: () => 'Exact Online', render: () => <ExactConnectionPage /> },
  '/pages/import-profiles': { title: (t) => t.navImportProfiles, render: () => <ImportProfilesPage /> },
  '/pages/import-profiles/edit': { title: () => 'Import profile', render: (t) => <ProfileEditorPage loading={t.loading} notFound={t.notFound} /> },
  '/pages/companies': { title: (t) => t.companiesTitle, render: (t, config) => <CompaniesPage strings={t} sp={siteSp(config)} /> },
  '/pages/sales-orders': { title: (t) => t.salesOrdersTitle, render: (t, config) => <SalesOrdersPage strings={t} sp={siteSp(config)} /> },
  '/pages/customer': { title: (t) => t.companiesFinance, render: (t) => <CustomerPage strings={t} /> },
};

function Home(props: { strings: WorkbenchStrings }): React.ReactElement {
  const services = useServices();
  const t = props.strings;
  const who = useAsync(async () => ({ user: await services.permissions.currentUser(), admin: await services.permissions.isCrmAdmin() }), [services]);
  if (who.state.status === 'loading') return <Spinner label={t.loading} />;
  if (who.state.status === 'failed') return <MessageBar messageBarType={MessageBarType.error}>{services.explain(who.state.error).message}</MessageBar>;
  return (
    <section aria-labelledby="home-title">
      <Text as="h1" id="home-title" variant="xxLarge" block styles={{ root: { margin: '0 0 12px', fontWeight: 600 } }}>
        {format(t.homeTitle, who.state.value.user.title)}
      </Text>
      <Text as="p" block>
        {t.homeText}
      </Text>
      <Text as="p" block>
        {who.state.value.admin ? t.homeAdmin : t.homeSales}
      </Text>
    </section>
  );
}

const siteSp = (config: WorkbenchConfig) => spfi(config.siteUrl).using(SPFx(siteContext(config.siteUrl)));

/**
 * As ConnectorWebPart's render: the page's own web part properties completed from the tenant
 * property and pinned to its gateway (pinnedSettings), and the token asked for that gateway's
 * resource. The workbench is the CRM site, so its lists stay on `siteUrl` whatever `crmSiteUrl` says.
 */
function servicesFor(config: WorkbenchConfig, who: SignedIn, settings: ConnectorSettings): ConnectorServices {
  return createConnectorServices({
    sp: siteSp(config),
    gateway: { gatewayUrl: settings.gatewayUrl, getAccessToken: who.tokenFor(settings.gatewayResource) },
    connect: (connectUrl) => popupConnector({ connectUrl, gatewayOrigin: new URL(settings.gatewayUrl).origin, host: window }),
  });
}

function Workbench(props: { config: WorkbenchConfig }): React.ReactElement {
  const session = React.useMemo(() => workbenchSession(props.config), [props.config]);
  const locale = preferences.locale();
  const [themeName, setThemeName] = React.useState(preferences.theme());
  const theme = React.useMemo(() => namedTheme(themeName), [themeName]);
  const t = workbenchStrings(locale);
  const resumed = useAsync(() => session.resume(), [session]);
  const [who, setWho] = React.useState<SignedIn | undefined>();
  const person = who ?? (resumed.state.status === 'ready' ? resumed.state.value : undefined);
  // SharePoint answers the tenant property only to a signed-in person.
  const tenant = useAsync(async () => (person ? readTenantSettings(siteSp(props.config)) : undefined), [person, props.config]);
  const read = tenant.state.status === 'ready' ? tenant.state.value : undefined;
  const pinned = React.useMemo(() => (read ? pinnedSettings(props.config.webPart, read) : undefined), [read, props.config]);
  const settings = pinned?.settings;
  const services = React.useMemo(
    () => (person && settings && isConfigured(settings) ? servicesFor(props.config, person, settings) : undefined),
    [person, settings, props.config],
  );
  const environment = services ? { services, locale: formattingLocale(locale, props.config.regionalLocale), adminPages: { exactConnection: '/pages/exact-connection', importProfiles: '/pages/import-profiles' } } : undefined;
  const page = pages[window.location.pathname.replace(/\/+$/, '') || '/'];

  React.useEffect(() => {
    document.documentElement.lang = locale === 'nl-nl' ? 'nl' : 'en';
    document.title = `${page ? page.title(t) : '404'} - ${t.siteName}`;
    document.body.style.background = theme.semanticColors.bodyBackground;
  }, [locale, page, t, theme]);

  let content: React.ReactElement;
  if (!environment || !person) {
    const problem = read?.problem;
    const refusal = pinned?.refusal;
    content =
      resumed.state.status === 'loading' || (person && !settings) ? (
        <Spinner label={t.loading} styles={{ root: { marginTop: 48 } }} />
      ) : person ? (
        <main style={{ maxWidth: 720, margin: '48px auto', padding: '0 16px' }}>
          <Text as="h1" variant="xxLarge" block styles={{ root: { margin: '0 0 12px', fontWeight: 600 } }}>
            {t.siteName}
          </Text>
          {refusal ? (
            <MessageBar messageBarType={MessageBarType.error} isMultiline>
              {settingsRefusalText(refusal, problem)}
            </MessageBar>
          ) : (
            <MessageBar messageBarType={problem ? MessageBarType.warning : MessageBarType.info} isMultiline>
              {problem ? `${commonStrings.NotConfigured} ${problem}` : commonStrings.NotConfigured}
            </MessageBar>
          )}
        </main>
      ) : (
        <SignIn session={session} strings={t} onSignedIn={setWho} />
      );
    return (
      <ThemeProvider theme={theme} applyTo="element" style={{ minHeight: '100vh' }}>
        {content}
      </ThemeProvider>
    );
  }
  return (
    <ConnectorRoot environment={environment} theme={theme}>
      <Shell
        strings={t}
        userName={person.name}
        locale={locale}
        theme={themeName}
        onLocale={(next) => {
          preferences.setLocale(next);
          window.location.reload();
        }}
        onTheme={(next) => {
          preferences.setTheme(next);
          setThemeName(next);
        }}
        onSignOut={() => {
          void session.signOut().then(() => window.location.assign('/'));
        }}
      >
        {page ? page.render(t, props.config) : <MessageBar messageBarType={MessageBarType.warning}>{t.notFound}</MessageBar>}
      </Shell>
    </ConnectorRoot>
  );
}

ReactDom.render(<Workbench config={readWorkbenchConfig()} />, document.getElementById('workbench'));
