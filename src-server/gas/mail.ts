/** Mailer over MailApp. */
import type { Mailer } from '../ports';

export function createGasMailer(): Mailer {
  return {
    remainingDailyQuota: () => MailApp.getRemainingDailyQuota(),
    send: (m) => {
      const options: GoogleAppsScript.Mail.MailAdvancedParameters = {
        to: m.to.join(','),
        subject: m.subject,
        body: m.body,
        name: 'YouTube2Sheets',
      };
      if (m.htmlBody) options.htmlBody = m.htmlBody;
      MailApp.sendEmail(options);
    },
  };
}
