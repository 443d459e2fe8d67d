/**
 * Bodies of the answers that are not a command result: a malformed request (bad JSON, wrong
 * content type, oversize, bad query), an unknown route, a bug. Every one is JSON with a
 * `status` the caller can switch on and a `message` a person can read.
 */
import type { FastifyReply } from "fastify";
import { jsonBody } from "./json-body.js";

export type ProblemStatus = "malformed" | "not-found" | "unavailable" | "error";

export function sendJson(reply: FastifyReply, statusCode: number, body: unknown): FastifyReply {
  return reply.code(statusCode).type("application/json; charset=utf-8").send(jsonBody(body));
}

export function sendProblem(
  reply: FastifyReply,
  statusCode: number,
  status: ProblemStatus,
  message: string,
  extra: Readonly<Record<string, unknown>> = {},
): FastifyReply {
  return sendJson(reply, statusCode, { status, message, ...extra });
}
