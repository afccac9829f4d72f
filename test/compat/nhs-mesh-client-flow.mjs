// Drives NHSDigital's public JavaScript MESH client (npm nhs-mesh-client) against a hub:
// handshake, send, count, read, acknowledge, and a chunked gzip send. Prints one JSON line.
import handShake from 'nhs-mesh-client/src/get/handshake.js';
import getMessageCount from 'nhs-mesh-client/src/get/message_count.js';
import readMessage from 'nhs-mesh-client/src/get/read_message.js';
import markAsRead from 'nhs-mesh-client/src/put/mark_as_read.js';
import sendMessage from 'nhs-mesh-client/src/post/send_message.js';
import sendChunkedMessage from 'nhs-mesh-client/src/post/send_chunked_message.js';

const url = process.argv[2];
const common = { url, sharedKey: 'TestKey', mailboxPassword: 'password', agent: undefined };
const sender = { ...common, mailboxID: 'X26ABC1' };
const receiver = { ...common, mailboxID: 'X26ABC2' };

const handshake = await handShake(sender);
const sent = await sendMessage({ ...sender, message: 'hello from nhs-mesh-client', mailboxTarget: 'X26ABC2', workFlowId: 'TEST_WORKFLOW' });
const inbox = await getMessageCount(receiver);
const id = sent.data.message_id;
const read = await readMessage({ ...receiver, messageID: id });
const ack = await markAsRead({ ...receiver, message: id });
const after = await getMessageCount(receiver);
const chunked = await sendChunkedMessage({ ...sender, mailboxTarget: 'X26ABC2', fileContent: Buffer.alloc(10 * 1024 * 1024 + 17, 'abc') });
const chunkedInbox = await getMessageCount(receiver);

console.log(JSON.stringify({
  handshake: handshake.status,
  sent: sent.status,
  listed: inbox.data.messages,
  id,
  read: { status: read.status, data: read.data, from: read.headers['mex-from'] },
  ack: ack.status,
  after: after.data.messages,
  chunked: chunked.status,
  chunkedInbox: chunkedInbox.data.messages,
}));
