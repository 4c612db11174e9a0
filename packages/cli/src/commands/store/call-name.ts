/**
 * How a logged call is named in tables: `service/method`. A call to a path that is not
 * `/service/method` (`/`, `/nope`, `/svc/`) is logged with the whole path as its service and
 * an empty method, so joining the two would print `//` or `/nope/`, a path nobody sent: the
 * path is shown as it was sent instead.
 */
export function callName(service: string, method: string): string {
  if (method !== "") return `${service}/${method}`;
  return service === "" ? "-" : service;
}
