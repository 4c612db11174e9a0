import type { DeepPartial, ServiceContext } from "@grpc-cfg/runtime";
import { ChatServiceBase } from "../gen/shop/v1/chat.grpc-cfg.js";
import type { ChatRequest, ChatResponse } from "../gen/shop/v1/chat.js";

/** Longest chat message accepted. */
export const MAX_MESSAGE_LENGTH = 2000;

/** Name shown for callers without credentials. */
export const ANONYMOUS = "anonymous";

/**
 * shop.v1.ChatService: a bidirectional stream that echoes each message as it arrives. Auth is
 * optional, so `ctx.user` is the caller when a valid key was sent and null otherwise.
 */
export class ChatService extends ChatServiceBase {
  async *chat(
    requests: AsyncIterable<ChatRequest>,
    ctx: ServiceContext,
  ): AsyncGenerator<DeepPartial<ChatResponse>> {
    const userName = ctx.user?.username ?? ANONYMOUS;
    let sequence = 0;
    for await (const message of requests) {
      sequence += 1;
      if (message.text.trim() === "" || message.text.length > MAX_MESSAGE_LENGTH) {
        this.invalidArgument(`Message ${sequence} is empty or too long`, {
          text: `text must be 1-${MAX_MESSAGE_LENGTH} characters`,
        });
      }
      yield { text: message.text, userName, sequence, sentAt: new Date() };
    }
  }
}
