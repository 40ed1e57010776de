import nodemailer from 'nodemailer';
import { SendFailedError } from '../../errors/messaging.errors.js';
import type { OutgoingEmail } from '../email.provider.js';
import { NodemailerEmailProvider, type MailTransport } from './nodemailer-email.provider.js';

const email: OutgoingEmail = {
  to: ['ada@example.com'],
  cc: ['bob@example.com'],
  subject: 'Hello',
  html: '<p>Hi</p>',
  text: 'Hi',
};

interface JsonMessage {
  from: { address: string };
  to: Array<{ address: string }>;
  cc: Array<{ address: string }>;
  subject: string;
  messageId: string;
}

describe('NodemailerEmailProvider', () => {
  it("sends through the host's nodemailer transport with the default From", async () => {
    // nodemailer's JSON transport: a real transport that renders the message instead of relaying it.
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const sent: JsonMessage[] = [];
    const recording: MailTransport = {
      sendMail: async (mail) => {
        const info = await transport.sendMail(mail);
        sent.push(JSON.parse(info.message) as JsonMessage);
        return info;
      },
    };
    const provider = new NodemailerEmailProvider(recording, { from: 'App <no-reply@example.com>' });
    const receipt = await provider.send(email);
    expect(provider.name).toBe('nodemailer');
    expect(sent[0]).toMatchObject({
      from: { address: 'no-reply@example.com' },
      to: [{ address: 'ada@example.com' }],
      cc: [{ address: 'bob@example.com' }],
      subject: 'Hello',
    });
    expect(receipt.messageId).toMatch(/@example\.com>$/);
  });

  it('turns a transport failure into SEND_FAILED with the SMTP reply code, without its text', async () => {
    const failing: MailTransport = {
      sendMail: () => Promise.reject(Object.assign(new Error('550 secret relay detail'), { responseCode: 550 })),
    };
    const provider = new NodemailerEmailProvider(failing, { from: 'a@example.com', name: 'ses' });
    const error = await provider.send(email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendFailedError);
    expect((error as SendFailedError).details).toEqual({ channel: 'email', provider: 'ses', providerCode: 550 });
    expect((error as SendFailedError).message).not.toContain('secret');
  });

  it('fails when the transport refused a recipient', async () => {
    const refusing: MailTransport = { sendMail: () => Promise.resolve({ messageId: 'x', rejected: ['ada@example.com'] }) };
    await expect(new NodemailerEmailProvider(refusing, { from: 'a@example.com' }).send(email)).rejects.toThrow(
      'refused a recipient',
    );
  });

  it('verifies through the transport when it can', async () => {
    let verified = 0;
    const transport: MailTransport = {
      sendMail: () => Promise.resolve({}),
      verify: () => Promise.resolve(++verified),
    };
    await new NodemailerEmailProvider(transport, { from: 'a@example.com' }).verify();
    expect(verified).toBe(1);
    const down: MailTransport = { sendMail: () => Promise.resolve({}), verify: () => Promise.reject(new Error('down')) };
    await expect(new NodemailerEmailProvider(down, { from: 'a@example.com' }).verify()).rejects.toThrow('down');
  });
});
