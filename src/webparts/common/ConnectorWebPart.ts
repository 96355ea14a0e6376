import * as React from 'react';
import * as ReactDom from 'react-dom';
import { Version } from '@microsoft/sp-core-library';
import { BaseClientSideWebPart } from '@microsoft/sp-webpart-base';
import { ThemeProvider, type IReadonlyTheme, type ThemeChangedEventArgs } from '@microsoft/sp-component-base';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { isConfigured, pinnedSettings, tenantSettingsFor, type ConnectorSettings, type TenantSettings } from '../../services/connectorSettings';
import { servicesFor } from '../../services/spfx';
import { ConnectorRoot } from '../../ui/ConnectorRoot';
import { teamsHost, type TeamsHost, type TeamsTabContext } from '../../ui/teams';
import { TeamsConnectorRoot } from '../../ui/TeamsConnectorRoot';
import { themeFromVariant } from '../../ui/theme';
import { settingsRefusalText, tenantProblemText } from './settingsRefusal';
import { formattingLocale } from '../../ui/locale';

/**
 * What every connector web part shares (pnp-modern-search's BaseWebPart idea): services from the
 * composition root, the section's theme variant, the person's locale, and the "not set up yet"
 * state. A web part only says which root component it renders and which properties it shows.
 * In Teams (`sdks.microsoftTeams` is there) the theme, its live changes and the locale come from
 * teams-js's `app.getContext()` instead (the SDK's old `.context` is deprecated), and connecting
 * Exact goes through `authentication.authenticate`.
 */
export abstract class ConnectorWebPart<TProps extends Partial<ConnectorSettings>> extends BaseClientSideWebPart<TProps> {
  private themeVariant: IReadonlyTheme | undefined;
  private teams: TeamsHost | undefined;
  /** Where the web part runs in Teams (for a channel tab: its configured entity); undefined outside Teams. */
  protected teamsContext: TeamsTabContext | undefined;
  /** The tenant property with the connector's settings (connectorSettings.ts), read when the web part's own leave a field empty or name a gateway to check. */
  private tenant: TenantSettings = {};

  protected abstract renderRoot(): React.ReactElement;
  /** The sentence shown while gateway URL and resource are not filled in. */
  protected abstract notConfiguredText(): string;

  protected async onInit(): Promise<void> {
    await super.onInit();
    const teamsSdk = this.context.sdks.microsoftTeams;
    if (teamsSdk) {
      this.teams = teamsHost(teamsSdk.teamsJs);
      this.teamsContext = await this.teams.context();
    }
    await this.readTenant();
    const themes = this.context.serviceScope.consume(ThemeProvider.serviceKey);
    this.themeVariant = themes.tryGetTheme();
    themes.themeChangedEvent.add(this, (args: ThemeChangedEventArgs) => {
      this.themeVariant = args.theme;
      this.render();
    });
  }

  // tenantSettingsOnce makes this one request per page and site, however often settings change.
  private async readTenant(): Promise<void> {
    this.tenant = await tenantSettingsFor(this.context, this.properties);
  }

  /**
   * The web part's own settings, completed from the tenant property and with its own gateway only
   * when that is allowed (pinnedSettings): what its services use. Refused, there is no gateway.
   */
  protected get connectorSettings(): TProps {
    return pinnedSettings(this.properties, this.tenant).settings;
  }

  public render(): void {
    const theme = themeFromVariant(this.themeVariant);
    const pinned = pinnedSettings(this.properties, this.tenant);
    const settings = pinned.settings;
    const teams = this.teams;
    const content = pinned.refusal
      ? React.createElement(MessageBar, { messageBarType: MessageBarType.error, isMultiline: true }, settingsRefusalText(pinned.refusal, pinned))
      : !isConfigured(settings)
      ? React.createElement(
          MessageBar,
          { messageBarType: this.tenant.problem ? MessageBarType.warning : MessageBarType.info, isMultiline: true },
          this.tenant.problem ? `${this.notConfiguredText()} ${tenantProblemText(this.tenant)}` : this.notConfiguredText(),
        )
      : teams && this.teamsContext
        ? React.createElement(
            TeamsConnectorRoot,
            {
              environment: { services: servicesFor(this.context, settings, teams.authentication), locale: formattingLocale(this.teamsContext.locale, this.context.pageContext.cultureInfo.currentCultureName) },
              teams,
              initialTheme: this.teamsContext.theme,
            },
            this.renderRoot(),
          )
        : React.createElement(
          ConnectorRoot,
          {
            environment: { services: servicesFor(this.context, settings), locale: formattingLocale(this.context.pageContext.cultureInfo.currentUICultureName, this.context.pageContext.cultureInfo.currentCultureName) },
            theme,
          },
          this.renderRoot(),
        );
    ReactDom.render(content, this.domElement);
  }

  protected onDispose(): void {
    ReactDom.unmountComponentAtNode(this.domElement);
  }

  // Settings applied may need the tenant property that those at start did not (a gateway to check).
  protected onAfterPropertyPaneChangesApplied(): void {
    void this.readTenant().then(() => this.render());
  }

  // Settings apply on the pane's Apply button: a half-typed gateway URL must never receive the
  // person's gateway token.
  protected get disableReactivePropertyChanges(): boolean {
    return true;
  }

  protected get dataVersion(): Version {
    return Version.parse('1.0');
  }
}
