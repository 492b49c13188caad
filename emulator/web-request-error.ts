/**
 * A web request Apps Script's front end would refuse before doGet/doPost runs (e.g. a form body with a
 * malformed percent-encoding). The dev server answers it with 400.
 */
export class WebRequestError extends Error {
  override name = 'WebRequestError';
}
