import {
  blockedExtension,
  cleanFilename,
  decodedBase64Length,
  DEFAULT_BLOCKED_EXTENSIONS,
  MAX_ATTACHMENT_BYTES,
  normalizeExtension,
} from '../../common/attachment-rules.js';
import type { MessageLogAttachment } from '../../common/provider-receipt.js';
import { PayloadTooLargeError, ValidationError, type FieldError } from '../../errors/messaging.errors.js';
import type { EmailAttachment } from '../../providers/email.provider.js';
import type { EmailAttachmentDto } from './dto/email-attachment.dto.js';

/** The attachments as the provider gets them, and what the log row keeps of them. */
export interface PreparedAttachments {
  attachments: EmailAttachment[];
  log: MessageLogAttachment[];
}

/** The blocked extensions of the module's options (`attachments.blockedExtensions`), normalized. */
export function blockedExtensionSet(configured: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((configured ?? DEFAULT_BLOCKED_EXTENSIONS).map(normalizeExtension));
}

/**
 * The checks of a validated attachment list that the DTO cannot make: an
 * executable extension (400 VALIDATION_ERROR naming each file, matched on the
 * cleaned name, so `a.pdf.EXE`, `a.exe.` and `a.exe ` are caught), then the
 * total decoded size (413 PAYLOAD_TOO_LARGE). Sizes are computed from the
 * base64 length: nothing is decoded here.
 */
export function prepareAttachments(
  list: readonly EmailAttachmentDto[] | undefined,
  blocked: ReadonlySet<string>,
): PreparedAttachments | undefined {
  if (list === undefined || list.length === 0) return undefined;
  const prepared = list.map((item) => ({ ...item, filename: cleanFilename(item.filename) }));
  const refused: FieldError[] = [];
  prepared.forEach(({ filename }, index) => {
    const extension = blockedExtension(filename, blocked);
    if (extension !== undefined) {
      refused.push({
        field: `attachments[${index}].filename`,
        errors: [`attachments[${index}].filename is an executable type (.${extension}) that is not accepted`],
      });
    }
  });
  if (refused.length > 0) throw ValidationError.listing('Invalid request', refused);
  const sizes = prepared.map((item) => decodedBase64Length(item.content));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > MAX_ATTACHMENT_BYTES) {
    throw new PayloadTooLargeError(
      MAX_ATTACHMENT_BYTES,
      `The attachments decode to ${total} bytes; at most ${MAX_ATTACHMENT_BYTES} are allowed per message`,
    );
  }
  return {
    attachments: prepared.map(({ filename, content, contentType, contentId }) => ({
      filename,
      content,
      ...(contentType === undefined ? {} : { contentType }),
      ...(contentId === undefined ? {} : { contentId }),
    })),
    log: prepared.map(({ filename, contentType }, index) => ({
      filename,
      ...(contentType === undefined ? {} : { contentType }),
      size: sizes[index] ?? 0,
    })),
  };
}
