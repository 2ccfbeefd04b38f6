// GET /v3/certificates (docs/wechatpay-protocol.md §4): the merchant's platform certificate, encrypted
// with AEAD_AES_256_GCM under its APIv3 key (AAD "certificate"), signed with that certificate's key.
import { createHash } from 'node:crypto';
import { failure, json, type ApiSpec } from './api.ts';
import { wechatpayData } from './app-data.ts';
import { wechatpayErrors } from './errors.ts';
import { aeadEncrypt } from './sign.ts';
import { rfc3339 } from './wire.ts';

export const certificatesApi: ApiSpec = {
  name: 'GET /v3/certificates',
  method: 'GET',
  path: /^\/v3\/certificates$/,
  facts: () => ({}),
  async handle(call) {
    if (call.config.keyMode === 'public_key' && call.config.certificatesInPublicKeyMode === 'not_found') return failure(wechatpayErrors.certificatesUnavailable());
    const data = wechatpayData(call.app);
    // The nonce is derived from the certificate, so the same certificate is always the same answer body.
    const nonce = createHash('sha256').update(data.platformSerial).digest('base64url').slice(0, 12);
    return json({
      data: [{
        effective_time: rfc3339(Number(data.platformNotBeforeMs)),
        encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', associated_data: 'certificate', ciphertext: aeadEncrypt(data.platformCertPem, data.apiV3Key, nonce, 'certificate'), nonce },
        expire_time: rfc3339(Number(data.platformNotAfterMs)),
        serial_no: data.platformSerial,
      }],
    });
  },
};
