import * as React from 'react';
import * as ReactDom from 'react-dom';
import { BaseApplicationCustomizer, PlaceholderName, type PlaceholderContent } from '@microsoft/sp-application-base';
import { ThemeProvider } from '@microsoft/sp-component-base';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { isConfigured, pinnedSettings, tenantSettingsFor, type ConnectorSettings, type TenantSettings } from '../../services/connectorSettings';
import { servicesFor } from '../../services/spfx';
import { ConnectorRoot } from '../../ui/ConnectorRoot';
import { themeFromVariant } from '../../ui/theme';
import { settingsRefusalText } from '../../webparts/common/settingsRefusal';
import { AdminMenu } from './components/AdminMenu';

export interface IAdminMenuApplicationCustomizerProperties extends Partial<ConnectorSettings> {
  /** Site-relative or absolute; default `SitePages/Exact-connection.aspx`. */
  exactConnectionPage?: string;
  /** Default `SitePages/Import-profiles.aspx`. */
  importProfilesPage?: string;
}

/** Adds the Administration menu to the CRM site's header; only site owners see it. */
export default class AdminMenuApplicationCustomizer extends BaseApplicationCustomizer<IAdminMenuApplicationCustomizerProperties> {
  private top: PlaceholderContent | undefined;
  private tenant: TenantSettings = {};

  public async onInit(): Promise<void> {
    this.tenant = await tenantSettingsFor(this.context, this.properties);
    this.context.placeholderProvider.changedEvent.add(this, this.renderMenu);
    this.renderMenu();
  }

  private renderMenu(): void {
    if (!this.top) {
      this.top = this.context.placeholderProvider.tryCreateContent(PlaceholderName.Top, { onDispose: () => this.onDispose() });
    }
    const pinned = pinnedSettings(this.properties, this.tenant);
    const settings = pinned.settings;
    if (!this.top) return;
    const site = this.context.pageContext.web.absoluteUrl.replace(/\/+$/, '');
    // Deployed tenant-wide the customizer loads on every site; the menu belongs on the CRM's.
    if (settings.crmSiteUrl && settings.crmSiteUrl.replace(/\/+$/, '').toLowerCase() !== site.toLowerCase()) return;
    if (pinned.refusal) {
      // In the menu's place, where the site's owners look for it: the properties someone set on it.
      ReactDom.render(React.createElement(MessageBar, { messageBarType: MessageBarType.error, isMultiline: true }, settingsRefusalText(pinned.refusal, pinned)), this.top.domElement);
      return;
    }
    if (!isConfigured(settings)) return;
    const page = (value: string | undefined, fallback: string): string => (value && /^https?:/.test(value) ? value : `${site}/${value ?? fallback}`);
    const theme = themeFromVariant(this.context.serviceScope.consume(ThemeProvider.serviceKey).tryGetTheme());
    ReactDom.render(
      React.createElement(
        ConnectorRoot,
        { environment: { services: servicesFor(this.context, settings), locale: this.context.pageContext.cultureInfo.currentUICultureName }, theme },
        React.createElement(AdminMenu, {
          exactConnectionUrl: page(settings.exactConnectionPage, 'SitePages/Exact-connection.aspx'),
          importProfilesUrl: page(settings.importProfilesPage, 'SitePages/Import-profiles.aspx'),
        }),
      ),
      this.top.domElement,
    );
  }

  public onDispose(): void {
    if (this.top) ReactDom.unmountComponentAtNode(this.top.domElement);
  }
}
