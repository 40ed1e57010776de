import type { ModuleRef } from '@nestjs/core';
import { MessagingOptionsError } from '../../messaging-options.validation.js';
import type { OutgoingEmail } from '../email.provider.js';
import { ProviderSendError } from '../provider-failure.js';
import { MailerServiceEmailProvider, type MailerServiceLike, type MailerServiceMail } from './mailer-service-email.provider.js';

const email: OutgoingEmail = {
  to: ['ada@example.com'],
  subject: 'Hi',
  html: '<p>Hi <img src="cid:logo@x"></p>',
  text: 'Hi',
  attachments: [{ filename: 'logo.png', content: 'iVBORw0KGgo=', contentType: 'image/png', contentId: 'logo@x' }],
};

class MailerService {}

/**
 * Jest's module VM cannot require @nestjs-modules/mailer (CommonJS that requires the ESM-only
 * @nestjs/common; Node itself can, as the library e2e shows), so the token is a stand-in here.
 */
class TestProvider extends MailerServiceEmailProvider {
  protected override mailerToken() {
    return MailerService;
  }
}

/** A TestProvider whose ModuleRef finds `mailer` under the MailerService token (or nothing, as without MailerModule). */
function providerWith(mailer: MailerServiceLike | undefined): MailerServiceEmailProvider {
  const get = (token: unknown) => {
    if (!mailer || token !== MailerService) throw new Error('Nest could not find MailerService element');
    return mailer;
  };
  return new TestProvider({ get } as unknown as ModuleRef);
}

describe('MailerServiceEmailProvider', () => {
  it("leaves From and Message-ID to the host's mailer when the message has none, and passes attachments through", async () => {
    const sent: MailerServiceMail[] = [];
    const provider = providerWith({ sendMail: (mail) => (sent.push(mail), Promise.resolve({ messageId: '<m@host>' })) });
    expect(await provider.send(email)).toEqual({ messageId: '<m@host>' });
    expect(sent[0]).not.toHaveProperty('from');
    expect(sent[0]).not.toHaveProperty('messageId');
    expect(sent[0]?.attachments).toEqual([{ filename: 'logo.png', content: 'iVBORw0KGgo=', encoding: 'base64', contentType: 'image/png', cid: 'logo@x' }]);
    expect(provider.name).toBe('mailer');
  });

  it('keeps the Message-ID the queue set, so a resend is the same message', async () => {
    const sent: MailerServiceMail[] = [];
    const provider = providerWith({ sendMail: (mail) => (sent.push(mail), Promise.resolve({})) });
    expect(await provider.send({ ...email, messageId: '<row@example.com>' })).toEqual({ messageId: '<row@example.com>' });
    expect(sent[0]?.messageId).toBe('<row@example.com>');
  });

  it("turns the mailer's errors into SEND_FAILED with the SMTP reply code, without their text", async () => {
    const failure = Object.assign(new Error('550 secret internals'), { responseCode: 550 });
    const provider = providerWith({ sendMail: () => Promise.reject(failure) });
    const error = (await provider.send(email).catch((e: unknown) => e)) as ProviderSendError;
    expect(error).toBeInstanceOf(ProviderSendError);
    expect(error.message).toBe('Failed to send email: the host mailer refused the message');
    expect(error.details).toEqual({ channel: 'email', provider: 'mailer', providerCode: 550 });
  });

  it('verifies through verifyAllTransporters()', async () => {
    const ok = providerWith({ sendMail: () => Promise.resolve({}), verifyAllTransporters: () => Promise.resolve(true) });
    await expect(ok.verify()).resolves.toBeUndefined();
    const down = providerWith({ sendMail: () => Promise.resolve({}), verifyAllTransporters: () => Promise.resolve(false) });
    await expect(down.verify()).rejects.toThrow('did not verify');
  });

  it('stops the boot, naming the fix, when the host has no MailerModule', () => {
    const provider = providerWith(undefined);
    expect(() => provider.onModuleInit()).toThrow(MessagingOptionsError);
    expect(() => provider.onModuleInit()).toThrow('import MailerModule.forRoot() or forRootAsync() in the host app');
  });
});
