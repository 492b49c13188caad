/** Session: users and the script time zone. An anonymous web-app visitor has an empty email, as in Apps Script. */
import { createHash } from 'node:crypto';
import type { Scope } from './execution';
import { registerType } from './registry';

export class UserFake implements Pick<GoogleAppsScript.Base.User, 'getEmail'> {
  constructor(private readonly email: string) {}
  getEmail(): string {
    return this.email;
  }
}
registerType(UserFake, 'Session.User');

export class SessionFake implements Pick<GoogleAppsScript.Base.Session, 'getActiveUser' | 'getEffectiveUser' | 'getScriptTimeZone' | 'getTemporaryActiveUserKey' | 'getActiveUserLocale'> {
  constructor(private readonly scope: Scope) {}

  getActiveUser(): GoogleAppsScript.Base.User {
    const anonymous = this.scope.exec.kind === 'web';
    return new UserFake(anonymous ? '' : this.scope.world.config.userEmail) as unknown as GoogleAppsScript.Base.User;
  }
  getEffectiveUser(): GoogleAppsScript.Base.User {
    return new UserFake(this.scope.world.config.userEmail) as unknown as GoogleAppsScript.Base.User;
  }
  getScriptTimeZone(): string {
    return this.scope.world.config.scriptTimeZone;
  }
  getTemporaryActiveUserKey(): string {
    return createHash('sha256').update(`${this.scope.world.config.scriptId}:${this.scope.world.config.userEmail}`).digest('base64url').slice(0, 43);
  }
  getActiveUserLocale(): string {
    return 'en';
  }
}
registerType(SessionFake, 'Session');
