import * as React from 'react';
import { CommandButton } from '@fluentui/react/lib/Button';
import type { IContextualMenuItem } from '@fluentui/react/lib/ContextualMenu';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as common from 'CommonStrings';
import { useServices } from '../../../ui/ConnectorContext';
import { useAsync } from '../../../ui/useAsync';

export interface AdminMenuProps {
  exactConnectionUrl: string;
  /** Absent while the site has no import-profiles page. */
  importProfilesUrl?: string;
}

/**
 * The CRM's Administration menu in the page header. Rendered only for site owners: everyone else
 * gets nothing at all (not a disabled menu), as SharePoint hides what a person cannot use.
 */
export function AdminMenu(props: AdminMenuProps): React.ReactElement | null {
  const services = useServices();
  const theme = useTheme();
  const admin = useAsync(() => services.permissions.isCrmAdmin(), [services]);
  if (admin.state.status !== 'ready' || !admin.state.value) return null;
  const classes = mergeStyleSets({
    bar: { display: 'flex', justifyContent: 'flex-end', background: theme.semanticColors.bodyBackground },
  });
  const items: IContextualMenuItem[] = [{ key: 'exact', text: common.AdminMenuExactConnection, iconProps: { iconName: 'PlugConnected' }, href: props.exactConnectionUrl }];
  if (props.importProfilesUrl) {
    items.push({ key: 'profiles', text: common.AdminMenuImportProfiles, iconProps: { iconName: 'BulkUpload' }, href: props.importProfilesUrl });
  }
  return (
    <nav className={classes.bar} aria-label={common.AdminMenuLabel}>
      <CommandButton text={common.AdminMenuLabel} iconProps={{ iconName: 'Settings' }} menuProps={{ items }} />
    </nav>
  );
}
