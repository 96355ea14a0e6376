/**
 * Who the user is and which divisions they reach: `current/Me` (also served as
 * `{division}/system/Me`), and the rows of system/Divisions, system/AllDivisions and hrm/Divisions.
 */
import { atomResponse, wantsJson } from './atom';
import type { ApiDeps } from './apiDeps';
import { errorResponse, jsonResponse, ODataError } from './errors';
import type { DivisionInfo, Row } from './seed';
import { demoUserId } from './store';

/** Division `Hid`/`HID`: a small per-licence number, sent as an Int64 string. */
const hidOf = (d: DivisionInfo): number => d.code - 2950000;

export function divisionRow(d: DivisionInfo, current: number): Row {
  return {
    Code: d.code,
    Description: d.description,
    Hid: hidOf(d),
    Current: d.code === current,
    Status: 1,
    Country: `${d.country} `,
    Currency: 'EUR',
    Customer: d.customerId,
    CustomerCode: d.customerCode.padStart(18, ' '),
    CustomerName: d.description,
    VATNumber: d.vatNumber,
    ChamberOfCommerceNumber: d.chamberOfCommerce,
    IsMainDivision: d.code === 2950001,
    BlockingStatus: 0,
    StartDate: d.startDate,
    ArchiveDate: null,
  };
}

export function handleMe(request: Request, deps: ApiDeps, base: string, url: URL): Response {
  const auth = deps.oauth.authenticate(request.headers.get('authorization'));
  if ('error' in auth) {
    deps.limiter.recordError('current/me');
    return errorResponse(new ODataError(401, auth.error, { 'WWW-Authenticate': 'Bearer', Reason: auth.error }));
  }
  const current = deps.currentDivision();
  const info = deps.divisions.find((d) => d.code === current) ?? deps.divisions[0];
  const now = deps.clock.now();
  const offset = 3600;
  const me: Record<string, unknown> = {
    __metadata: { uri: `${base}current/Me(guid'${demoUserId}')`, type: 'Exact.Web.Api.Models.System.Me' },
    UserID: demoUserId,
    CurrentDivision: current,
    AccountingDivision: current,
    DossierDivision: null,
    UserName: deps.user.username,
    FullName: deps.user.fullName,
    FirstName: deps.user.fullName.split(' ')[0],
    MiddleName: null,
    LastName: deps.user.fullName.split(' ').slice(1).join(' '),
    Initials: `${deps.user.fullName.charAt(0)}.`,
    Title: 'DHR',
    Gender: 'M',
    Email: `${deps.user.username}@vanhouten-installatie.example`,
    Phone: '030-1234567',
    Mobile: null,
    LanguageCode: 'nl-NL',
    Language: 'NL',
    Legislation: '1',
    DivisionCustomer: info.customerId,
    DivisionCustomerCode: info.customerCode.padStart(18, ' '),
    DivisionCustomerName: info.description,
    DivisionCustomerVatNumber: info.vatNumber,
    DivisionCustomerSiretNumber: null,
    PackageCode: 'EOL_SANDBOX',
    CustomerCode: info.customerCode.padStart(18, ' '),
    EmployeeID: null,
    PictureUrl: null,
    ServerTime: new Date(now + offset * 1000).toISOString().slice(0, 19),
    ServerUtcOffset: offset,
    IsMobilityUser: false,
    IsStarterUser: false,
    IsClientUser: false,
    IsAccountant: false,
  };
  const select = url.searchParams.get('$select');
  if (select) {
    for (const name of select.split(',').map((s) => s.trim())) {
      if (!(name in me)) {
        return errorResponse(new ODataError(400, `Could not find a property named '${name}' on type 'Exact.Web.Api.Models.System.Me'.`));
      }
    }
    const wanted = new Set(['__metadata', ...select.split(',').map((s) => s.trim())]);
    for (const name of Object.keys(me)) {
      if (!wanted.has(name)) delete me[name];
    }
  }
  const d = { results: [me] };
  return !deps.atom() || wantsJson(request.headers.get('accept')) ? jsonResponse(200, { d }) : atomResponse(d, `${base}current/Me`, {}, now);
}

export function hrmDivisionRow(d: DivisionInfo): Row {
  return {
    Code: d.code,
    Description: d.description,
    HID: hidOf(d),
    Main: d.code === 2950001,
    Status: 0,
    Country: d.country,
    Currency: 'EUR',
    Customer: d.customerId,
    CustomerCode: d.customerCode.padStart(18, ' '),
    CustomerName: d.description,
    VATNumber: d.vatNumber,
    StartDate: d.startDate,
    ArchiveDate: null,
  };
}
