// The certificates the simulator issues (the default merchant's apiclient_cert.pem and each merchant's
// platform certificate) carry serials of WeChat's shape: 40 upper-case hex digits, written in DER as a
// positive INTEGER (a leading zero byte when the first digit is 8-F, as a CA writes it). So Node's
// X509Certificate, wechatpay-node-v3's getSN (@fidm/x509), forge and the file names all name the same
// serial, and none of them sees a negative number.
import forge from 'node-forge';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import WechatpayNodeV3 from 'wechatpay-node-v3';
import { createSimulator } from '../../../simulator/server.ts';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

/** The serial INTEGER's content bytes, straight from the DER (tbsCertificate → serialNumber). */
function serialDerBytes(pem: string): Buffer {
  const der = forge.pki.pemToDer(pem).getBytes();
  const certificate = forge.asn1.fromDer(der);
  const tbs = (certificate.value as forge.asn1.Asn1[])[0]!;
  const fields = tbs.value as forge.asn1.Asn1[];
  // [0] version is explicit and optional; the serial is the first INTEGER after it.
  const serial = fields.find((field) => field.tagClass === forge.asn1.Class.UNIVERSAL && field.type === forge.asn1.Type.INTEGER)!;
  return Buffer.from(serial.value as string, 'binary');
}

/** node-v3's own serial reading (Pay.prototype.getSN), as it signs requests with it. */
function nodeV3Serial(pem: string): string {
  return (WechatpayNodeV3 as unknown as { prototype: { getSN(pem: string): string } }).prototype.getSN.call({}, pem);
}

it('issues merchant and platform certificates whose serials are 40 upper-case hex digits and positive DER INTEGERs', async () => {
  const seen: { serial: string; certPem: string }[] = [];
  for (const seed of [1, 2, 3]) {
    const dataDir = await mkdtemp(join(tmpdir(), 'paysim-serials-'));
    directories.push(dataDir);
    const simulator = await createSimulator({ port: 0, host: '127.0.0.1', dataDir, seed });
    try {
      const keyDir = join(dataDir, 'keys', 'wechatpay', '1900000001');
      const files = await readdir(keyDir);
      const platformFile = files.find((name) => /^wechatpay_[0-9A-F]{40}\.pem$/.test(name));
      expect(platformFile, `a platform certificate named by its serial in ${files.join(', ')}`).toBeDefined();
      const app = (simulator.engine.apps.get('wechatpay', '1900000001')!.channelData ?? {}) as Record<string, string>;
      seen.push({ serial: app.merchantSerial!, certPem: await readFile(join(keyDir, 'apiclient_cert.pem'), 'utf8') });
      seen.push({ serial: platformFile!.slice('wechatpay_'.length, -'.pem'.length), certPem: await readFile(join(keyDir, platformFile!), 'utf8') });
      expect(app.platformSerial).toBe(seen.at(-1)!.serial);
    } finally {
      await simulator.close();
    }
  }
  // The default merchant's serial starts 9 on purpose (node-v3 then sends it with a leading 00); the
  // platform serials of these seeds include one starting 8-F too.
  expect(seen.filter(({ serial }) => /^[89A-F]/.test(serial)).length).toBeGreaterThanOrEqual(4);
  for (const { serial, certPem } of seen) {
    expect(serial).toMatch(/^[0-9A-F]{40}$/);
    const bytes = serialDerBytes(certPem);
    expect(bytes[0]! & 0x80, `serial ${serial} is a negative DER INTEGER`).toBe(0);
    expect(bytes.toString('hex').toUpperCase().replace(/^00/, '')).toBe(serial);
    expect(bytes.length).toBe(/^[89A-F]/.test(serial) ? 21 : 20);
    const node = new X509Certificate(certPem).serialNumber;
    expect(node.startsWith('-')).toBe(false);
    expect(node.toUpperCase()).toBe(serial);
    expect(nodeV3Serial(certPem)).toBe(`${/^[89A-F]/.test(serial) ? '00' : ''}${serial.toLowerCase()}`);
    expect(forge.pki.certificateFromPem(certPem).serialNumber.toUpperCase().replace(/^00/, '')).toBe(serial);
  }
});
