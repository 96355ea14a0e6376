/**
 * SharePoint answers failures with an `odata.error` body whose `code` is "<hresult>, <exception type>".
 * PnPjs surfaces that body text in HttpRequestError, so callers (and people reading logs) see the same
 * shape they would see from SharePoint Online.
 */
export class SpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const SpCodes = {
  argument: '-1, System.ArgumentException',
  generic: '-1, Microsoft.SharePoint.SPException',
  clientQuery: '-1, Microsoft.SharePoint.Client.InvalidClientQueryException',
  itemMissing: '-2130575338, System.ArgumentException',
  fieldMissing: '-2147024809, System.ArgumentException',
  etag: '-2130575305, Microsoft.SharePoint.SPException',
  listExists: '-2130575342, Microsoft.SharePoint.SPException',
  duplicateField: '-2130575245, Microsoft.SharePoint.SPException',
  digest: '-2130575251, Microsoft.SharePoint.SPException',
  validation: '-2130575155, Microsoft.SharePoint.SPFieldValidationException',
  unique: '-2130575169, Microsoft.SharePoint.SPDuplicateValuesFoundException',
  throttled: '-2147024860, Microsoft.SharePoint.SPQueryThrottledException',
  fileMissing: '-2130575338, Microsoft.SharePoint.SPException',
  fileExists: '-2130575257, Microsoft.SharePoint.SPException',
  notSupported: '-1, System.NotSupportedException',
} as const;

export const notFound = (code: string, message: string): SpError => new SpError(404, code, message);
export const badRequest = (code: string, message: string): SpError => new SpError(400, code, message);

export function errorBody(error: SpError, verbose: boolean): string {
  const payload = { code: error.code, message: { lang: 'en-US', value: error.message } };
  return JSON.stringify(verbose ? { error: payload } : { 'odata.error': payload });
}

export function errorResponse(error: SpError, verbose: boolean): Response {
  return new Response(errorBody(error, verbose), {
    status: error.status,
    headers: {
      'content-type': verbose ? 'application/json;odata=verbose;charset=utf-8' : 'application/json;odata=minimalmetadata;streaming=true;charset=utf-8',
      ...error.headers,
    },
  });
}
