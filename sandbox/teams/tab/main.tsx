import * as React from 'react';
import * as ReactDom from 'react-dom';
import * as microsoftTeams from '@microsoft/teams-js-v2';
import { initializeIcons } from '@fluentui/react/lib/Icons';
import { spfi, SPFx } from '@pnp/sp';
import { z } from 'zod';
import { siteContext } from '../../../src/crm/pnp';
import { connectorUrl } from '../../../src/services/connectorSettings';
import { createConnectorServices } from '../../../src/services/createConnectorServices';
import { teamsConnector, type TeamsAuthentication } from '../../../src/services/teamsConnector';
import { namedTheme } from '../../../src/ui/theme';
import { teamsHost } from '../../../src/ui/teams';
import { TeamsConnectorRoot } from '../../../src/ui/TeamsConnectorRoot';
import { isTeamsTab, tabName, teamsTabs } from '../tabs';
import { tabPages } from './pages';
import { formattingLocale } from '../../../src/ui/locale';

/**
 * A Teams tab in the sandbox: the same root components and composition root as the web parts,
 * with teams-js talking to the host stand-in around it. The gateway token is Teams' SSO token
 * (`getAuthToken`), the connect flow `authentication.authenticate`.
 */
initializeIcons('/workbench/fonts/', { disableWarnings: true });

// The sandbox's stand-in for the tenant property, held to the same URL check.
const tabConfigSchema = z.object({
  siteUrl: connectorUrl('crmSiteUrl'),
  gatewayUrl: connectorUrl('gatewayUrl'),
  page: z.string().refine(isTeamsTab, 'not a tab of this app'),
  contentUrl: z.string().url(),
  websiteUrl: z.string().url(),
});

async function start(): Promise<void> {
  const root = document.getElementById('tab')!;
  const config = tabConfigSchema.parse(JSON.parse(document.getElementById('tab-config')?.textContent ?? '{}'));
  const page = config.page as keyof typeof teamsTabs;
  await microsoftTeams.app.initialize();
  const teams = teamsHost(microsoftTeams);
  const context = await teams.context();
  // teams-js accepts only https authentication URLs and the sandbox has no TLS: ask for the
  // loopback gateway over https, and the host stand-in opens it over http (host/protocol.ts).
  const authentication: TeamsAuthentication = {
    authenticate: (parameters) => teams.authentication.authenticate({ ...parameters, url: parameters.url.replace(/^http:\/\/(127\.0\.0\.1|localhost)(?=[:/])/, 'https://$1') }),
  };
  const services = createConnectorServices({
    sp: spfi(config.siteUrl).using(SPFx(siteContext(config.siteUrl))),
    gateway: { gatewayUrl: config.gatewayUrl, getAccessToken: teams.authToken },
    connect: (connectUrl) => teamsConnector({ connectUrl, authentication, returnUrl: () => window.location.href }),
  });
  // The CRM site's regional settings are Dutch (as the workbench's): English dates are day-month-year.
  const locale = formattingLocale(context.locale, 'nl-NL');
  document.documentElement.lang = locale.slice(0, 2);
  const title = tabName(page, context.locale);
  document.title = title;
  const paint = (name: Parameters<typeof namedTheme>[0]): void => {
    document.body.style.background = namedTheme(name).semanticColors.bodyBackground;
  };
  paint(context.theme);
  // The root redraws itself on themeChange; the page behind it follows here.
  const onTheme = teams.onThemeChange;
  teams.onThemeChange = (handler) => onTheme((theme) => {
    paint(theme);
    handler(theme);
  });
  ReactDom.render(
    <TeamsConnectorRoot environment={{ services, locale }} teams={teams} initialTheme={context.theme}>
      <main aria-label={title} style={{ padding: '12px 16px', boxSizing: 'border-box', maxWidth: '100%' }}>
        {tabPages[page]({ context, teams, contentUrl: config.contentUrl, websiteUrl: config.websiteUrl })}
      </main>
    </TeamsConnectorRoot>,
    root,
  );
  microsoftTeams.app.notifySuccess().catch(() => undefined);
}

start().catch((error: unknown) => {
  document.getElementById('tab')!.textContent = `The tab could not start in Teams: ${error instanceof Error ? error.message : String(error)}`;
});
