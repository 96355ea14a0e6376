import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { Dropdown } from '@fluentui/react/lib/Dropdown';
import { Link } from '@fluentui/react/lib/Link';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import { AdminMenu } from '../../../src/extensions/adminMenu/components/AdminMenu';
import { format } from '../../../src/ui/format';
import type { WorkbenchLocale, WorkbenchThemeName } from './config';
import type { WorkbenchStrings } from './strings';

export interface ShellProps {
  strings: WorkbenchStrings;
  userName: string;
  locale: WorkbenchLocale;
  theme: WorkbenchThemeName;
  onLocale: (locale: WorkbenchLocale) => void;
  onTheme: (theme: WorkbenchThemeName) => void;
  onSignOut: () => void;
  children?: React.ReactNode;
}

/** Enough of a SharePoint site's chrome to host the web parts: suite bar, site header, admin menu. */
export function Shell(props: ShellProps): React.ReactElement {
  const theme = useTheme();
  const t = props.strings;
  const suiteText = theme.isInverted ? theme.palette.neutralPrimary : '#ffffff';
  const classes = mergeStyleSets({
    suite: {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: 8,
      padding: '4px 16px',
      background: theme.isInverted ? theme.palette.neutralLighter : theme.palette.themeDarker,
      color: suiteText,
      minHeight: 48,
    },
    suiteName: { fontWeight: 600, color: suiteText, marginRight: 'auto' },
    controls: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 },
    picker: { minWidth: 120 },
    user: { color: suiteText },
    site: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 16, padding: '12px 16px', borderBottom: `1px solid ${theme.palette.neutralLight}` },
    siteName: { margin: 0, fontWeight: 600 },
    nav: { display: 'flex', flexWrap: 'wrap', gap: '4px 16px' },
    content: { padding: '16px', maxWidth: 1100, margin: '0 auto', boxSizing: 'border-box' },
  });
  return (
    <div style={{ minHeight: '100vh', background: theme.semanticColors.bodyBackground, color: theme.semanticColors.bodyText }}>
      <header>
      <div className={classes.suite}>
        <span className={classes.suiteName}>{t.suiteName}</span>
        <div className={classes.controls}>
          <Dropdown
            className={classes.picker}
            ariaLabel={t.language}
            selectedKey={props.locale}
            options={[
              { key: 'en-us', text: 'English' },
              { key: 'nl-nl', text: 'Nederlands' },
            ]}
            onChange={(_, o) => o && props.onLocale(o.key as WorkbenchLocale)}
          />
          <Dropdown
            className={classes.picker}
            ariaLabel={t.theme}
            selectedKey={props.theme}
            options={[
              { key: 'light', text: t.themeLight },
              { key: 'dark', text: t.themeDark },
              { key: 'contrast', text: t.themeContrast },
            ]}
            onChange={(_, o) => o && props.onTheme(o.key as WorkbenchThemeName)}
          />
          <span className={classes.user} data-testid="signed-in-user">
            {format(t.signedInAs, props.userName)}
          </span>
          <DefaultButton text={t.signOut} onClick={props.onSignOut} />
        </div>
      </div>
      <div className={classes.site}>
        <Text as="p" variant="xLarge" className={classes.siteName}>
          {t.siteName}
        </Text>
        <nav aria-label={t.navLabel} className={classes.nav}>
          <Link href="/">{t.navHome}</Link>
          <Link href="/pages/companies">{t.navCompanies}</Link>
          <Link href="/pages/sales-orders">{t.navSalesOrders}</Link>
        </nav>
        <div style={{ marginLeft: 'auto' }}>
          <AdminMenu exactConnectionUrl="/pages/exact-connection" importProfilesUrl="/pages/import-profiles" />
        </div>
      </div>
      </header>
      <main className={classes.content}>{props.children}</main>
    </div>
  );
}
