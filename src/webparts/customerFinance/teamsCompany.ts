/**
 * Which company a customer-panel tab in Teams shows. A configurable tab carries its choice in the
 * tab's `entityId` (`company:<CRM item id>`), which Teams hands back in every `getContext`: the
 * sandbox's settings page sets it, as would any settings page of our own. SPFx's settings page is
 * the web part's property pane instead (`openPropertyPane=true`), which stores the choice in the
 * web part's own `companyId` property; that one wins where both are set.
 */
const prefix = 'company:';

export const companyEntityId = (companyId: number): string => `${prefix}${companyId}`;

export function companyFromEntityId(entityId: string | undefined): number | undefined {
  const match = /^company:([1-9]\d*)$/.exec(entityId ?? '');
  return match ? Number(match[1]) : undefined;
}

export function teamsTabCompany(property: string | undefined, entityId: string | undefined): number | undefined {
  const fromProperty = /^[1-9]\d*$/.test(property?.trim() ?? '') ? Number(property!.trim()) : undefined;
  return fromProperty ?? companyFromEntityId(entityId);
}
