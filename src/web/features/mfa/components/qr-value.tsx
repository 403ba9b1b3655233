import { QRCodeSVG } from 'qrcode.react';
import { useT } from '../../../lib/i18n.ts';

const imageSignatures: [string, number[]][] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
];

export type QrContent = { kind: 'image'; mime: string; base64: string } | { kind: 'payload'; text: string };

/**
 * Belvo sends a QR's `value` as "the BASE64 string representation of the QR Code" (seed 003) without
 * saying whether that is an image or the data to encode. Both happen: an image is shown as is;
 * anything else is decoded and drawn as a QR code. A value that is not base64 is drawn as it is.
 */
export function readQrValue(value: string): QrContent {
  const compact = value.replace(/\s+/g, '').replace(/^data:[^,]*;base64,/, '');
  let binary: string;
  try {
    binary = atob(compact);
  } catch {
    return { kind: 'payload', text: value };
  }
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  const isWebp = binary.startsWith('RIFF') && binary.slice(8, 12) === 'WEBP';
  const match = imageSignatures.find(([, signature]) => signature.every((byte, index) => bytes[index] === byte));
  if (match || isWebp) return { kind: 'image', mime: match?.[0] ?? 'image/webp', base64: compact };
  try {
    return { kind: 'payload', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { kind: 'payload', text: value };
  }
}

export function QrValue({ value, instructions }: { value: string; instructions: string }) {
  const { t } = useT();
  const content = readQrValue(value);
  const alt = t('mfa.qrAlt', { instructions });
  return (
    <figure className="flex flex-col items-center gap-2">
      {content.kind === 'image' ? (
        <img src={`data:${content.mime};base64,${content.base64}`} alt={alt} className="h-56 w-56 rounded border border-slate-200 bg-white object-contain p-1" />
      ) : (
        <QRCodeSVG value={content.text} size={224} marginSize={2} role="img" aria-label={alt} title={alt} />
      )}
      <figcaption className="text-xs text-slate-500">{content.kind === 'image' ? t('mfa.qrFromImage') : t('mfa.qrDrawn')}</figcaption>
    </figure>
  );
}
