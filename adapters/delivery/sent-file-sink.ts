import { basename, dirname } from 'node:path';
import type { Logger } from '../../engine/log.js';
import type { Delivery, Sink } from '../core/delivery.js';
import { adapterError, type AdapterError } from '../core/errors.js';
import { findSentFile, moveSentToRejected, sidecarPath } from '../sources/folder-layout.js';
import { writeDurably } from './folder-sink.js';
import { readableReport } from './report-document.js';
import { sinkFailure, systemCode } from './sink-failure.js';

export interface SentFileSinkOptions {
  /** The adapter's drop folders: each one's sent/ holds the files it sent, with their MESH message ids. */
  folders: string[];
  /** Where every message goes, except answers kept beside their file (see `answerSuffix`). */
  otherwise: Sink;
  /**
   * A DATA message answering a sent file is written beside that file as `<name><answerSuffix>`
   * instead of going on (the LA's plan acknowledgements, `.ack.xml`). Absent: answers go on.
   */
  answerSuffix?: string;
  log: Logger;
}

/**
 * What the hub sends back about a file from a drop folder, brought back to that file. It is
 * found through the message's link (`mex-linkedmsgid`) to the message the file went out as.
 * A REPORT on it (the hub did not accept it, or its recipient never collected it) goes on
 * to `otherwise` like any message, then the file moves from sent/ to rejected/ with a
 * `.error.txt` giving the report's code, description and id: sent/ holds only files that
 * went well.
 */
export function sentFileSink(options: SentFileSinkOptions): Sink {
  const { folders, otherwise, answerSuffix, log } = options;
  // The look-up reads sent/, so it is done only for what may concern a file there.
  const reportOn = async (report: Delivery) => {
    const sentFile = await linkedSentFile(folders, report);
    await otherwise.deliver(report);
    if (sentFile) await reject(sentFile, report, log);
  };
  const keepBeside = async (answer: Delivery, suffix: string) => {
    const sentFile = await linkedSentFile(folders, answer);
    if (!sentFile) return otherwise.deliver(answer);
    const name = basename(sidecarPath(sentFile, suffix));
    try {
      await writeDurably(dirname(sentFile), name, answer.body);
    } catch (err) {
      throw sinkFailure('SINK_FAILED', `cannot write ${name} beside the file it answers (${systemCode(err)})`);
    }
  };
  return {
    kind: 'sent-files',
    async deliver(message: Delivery) {
      if (message.headers.messageType === 'REPORT') return reportOn(message);
      if (answerSuffix) return keepBeside(message, answerSuffix);
      return otherwise.deliver(message);
    },
    close: () => otherwise.close(),
  };
}

/** The file in one of the folders' sent/ that went out as the message this one answers or reports on. */
async function linkedSentFile(folders: string[], message: Delivery): Promise<string | undefined> {
  const linked = message.headers.linkedMsgId;
  if (!linked) return undefined;
  for (const folder of folders) {
    const found = await findSentFile(folder, linked).catch((err: unknown) => {
      throw sinkFailure('SINK_FAILED', `cannot look for the sent file of message ${linked} in ${folder} (${systemCode(err)})`);
    });
    if (found) return found;
  }
  return undefined;
}

async function reject(sentFile: string, report: Delivery, log: Logger): Promise<void> {
  const error = reportError(report);
  const rejected = await moveSentToRejected(sentFile, error).catch((err: unknown) => {
    throw sinkFailure('SINK_FAILED', `cannot move ${basename(sentFile)} from sent/ to rejected/ (${systemCode(err)})`);
  });
  const { reportId, code, linkedMessageId } = readableReport(report.headers);
  log.warn('the hub reported on a sent file; moved to rejected/', { file: basename(rejected), reportId, code, linkedMessageId });
}

/** The `.error.txt` of a file the hub reported on: the code, its description and the report's id. */
function reportError(report: Delivery): AdapterError {
  const { reportId, code, description, linkedMessageId } = readableReport(report.headers);
  return adapterError(
    'HUB_REPORT',
    `MESH report ${reportId} on message ${linkedMessageId}: error ${code ?? 'without a code'}: ${description ?? 'no description given'}`,
  );
}
