/** Identity, clock, time-zone oracle and logger over Session, Date, Utilities and console. */
import type { Clock, Identity, Logger, TimeZoneOracle } from '../ports';

export function createGasIdentity(): Identity {
  let zone: string | null = null;
  let email: string | null = null;
  return {
    userEmail: () => {
      if (email !== null) return email;
      try {
        email = Session.getEffectiveUser().getEmail() || Session.getActiveUser().getEmail() || '';
      } catch {
        email = '';
      }
      return email;
    },
    scriptTimeZone: () => (zone ??= Session.getScriptTimeZone()),
  };
}

export const systemClock: Clock = { now: () => new Date() };

export function createGasTimeZoneOracle(): TimeZoneOracle {
  return { formatDate: (date, timeZone, pattern) => Utilities.formatDate(date, timeZone, pattern) };
}

function line(message: string, data?: unknown): string {
  return data === undefined ? message : `${message} ${JSON.stringify(data)}`;
}

export const consoleLogger: Logger = {
  info: (m, d) => console.log(line(m, d)),
  warn: (m, d) => console.warn(line(m, d)),
  error: (m, d) => console.error(line(m, d)),
};
