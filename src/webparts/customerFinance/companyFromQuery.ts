/** `?company=12&action=create` → which company, and whether to open the create form. */
export function companyFromQuery(search: string, parameter = 'company'): { companyId?: number; startWith?: 'finance' | 'create' } {
  const params = new URLSearchParams(search);
  const raw = params.get(parameter || 'company') ?? '';
  const companyId = /^[1-9]\d*$/.test(raw) ? Number(raw) : undefined;
  return { companyId, startWith: params.get('action') === 'create' ? 'create' : 'finance' };
}
