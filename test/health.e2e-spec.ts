import { startApp, type RunningApp } from './helpers/app-process.js';
import { testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';

describe('GET /messaging/health', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: testDatabaseUri('health') });
  });
  afterAll(() => app.stop());

  it('answers the seed shape, with unconfigured providers marked not_configured', async () => {
    const response = await request(`${app.url}/messaging/health`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'healthy',
      providers: {
        email: { provider: 'smtp', status: 'not_configured' },
        sms: { provider: 'twilio', status: 'not_configured' },
        whatsapp: { provider: 'twilio', status: 'not_configured' },
      },
      database: { status: 'connected' },
      // Delivery receipts need PUBLIC_BASE_URL (docs/receipts.md); health says when they are off.
      receipts: 'off',
    });
  });
});
