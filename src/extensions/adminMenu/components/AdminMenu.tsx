import * as React from 'react';
import { CommandButton } from '@fluentui/react/lib/Button';
import { ContextualMenuItemType, type IContextualMenuItem } from '@fluentui/react/lib/ContextualMenu';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as common from 'CommonStrings';
import type { ScheduleList } from '../../../services/types';
import { useServices } from '../../../ui/ConnectorContext';
import { format } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';

export interface AdminMenuProps {
  exactConnectionUrl: string;
  /** Absent while the site has no import-profiles page. */
  importProfilesUrl?: string;
}

/** A background result that needs an admin, in words: the gateway's reason, else the run's status. */
const reasonOf = (s: ScheduleList['schedules'][number]): string => s.lastResult?.reason ?? s.lastResult?.status ?? s.lastResult?.outcome ?? '';

/**
 * The CRM's Administration menu in the page header. Rendered only for site owners: everyone else
 * gets nothing at all (not a disabled menu), as SharePoint hides what a person cannot use.
 * Scheduled runs that failed or were stopped by Exact's limits show as a count on the button
 * and, with their reason, as items of the menu.
 */
export function AdminMenu(props: AdminMenuProps): React.ReactElement | null {
  const services = useServices();
  const theme = useTheme();
  const admin = useAsync(() => services.permissions.isCrmAdmin(), [services]);
  const isAdmin = admin.state.status === 'ready' && admin.state.value;
  // Asked only for admins (the gateway refuses others); a gateway that cannot answer leaves the menu as it was.
  const schedules = useAsync(() => (isAdmin ? services.schedules.list().catch(() => undefined) : Promise.resolve(undefined)), [services, isAdmin]);
  if (!isAdmin) return null;
  const attention = schedules.state.status === 'ready' && schedules.state.value ? schedules.state.value.schedules.filter((s) => s.attention) : [];
  const classes = mergeStyleSets({
    bar: { display: 'flex', justifyContent: 'flex-end', background: theme.semanticColors.bodyBackground },
    // The badge sits beside the word, not under it: Fluent's label is a block of its own.
    label: { display: 'inline-flex', alignItems: 'center', whiteSpace: 'nowrap' },
    badge: {
      display: 'inline-block',
      minWidth: 20,
      padding: '0 6px',
      marginLeft: 4,
      borderRadius: 10,
      boxSizing: 'border-box',
      textAlign: 'center',
      fontWeight: 600,
      lineHeight: '20px',
      background: theme.semanticColors.errorBackground,
      color: theme.semanticColors.errorText,
    },
  });
  const attentionText = format(common.AdminMenuAttention, attention.length);
  const items: IContextualMenuItem[] = [{ key: 'exact', text: common.AdminMenuExactConnection, iconProps: { iconName: 'PlugConnected' }, href: props.exactConnectionUrl }];
  if (props.importProfilesUrl) {
    items.push({ key: 'profiles', text: common.AdminMenuImportProfiles, iconProps: { iconName: 'BulkUpload' }, href: props.importProfilesUrl });
  }
  if (attention.length > 0) {
    items.push(
      { key: 'attention-divider', itemType: ContextualMenuItemType.Divider },
      {
        key: 'attention',
        itemType: ContextualMenuItemType.Section,
        sectionProps: {
          title: attentionText,
          items: attention.map((s) => ({
            key: `attention-${s.siteUrl} ${s.profileId}`,
            text: format(common.AdminMenuAttentionItem, s.profileName, reasonOf(s)),
            iconProps: { iconName: 'Warning' },
            href: props.importProfilesUrl ?? props.exactConnectionUrl,
            'data-testid': 'admin-menu-attention-item',
          })),
        },
      },
    );
  }
  return (
    <nav className={classes.bar} aria-label={common.AdminMenuLabel}>
      <CommandButton
        text={common.AdminMenuLabel}
        ariaLabel={attention.length > 0 ? format(common.AdminMenuLabelAttention, attentionText) : undefined}
        iconProps={{ iconName: 'Settings' }}
        menuProps={{ items }}
        onRenderText={(p, render) => (
          <span className={classes.label}>
            {render ? render(p) : null}
            {attention.length > 0 ? (
              <span className={classes.badge} data-testid="admin-menu-badge" aria-hidden="true" title={attentionText}>
                {attention.length}
              </span>
            ) : null}
          </span>
        )}
      />
    </nav>
  );
}
