/**
 * Conversions between the double's records and the generated protobuf messages (stream
 * identifiers, proposed messages, UUIDs in their string and structured forms).
 */
import { randomUUID } from "node:crypto";
import type * as StreamsPb from "@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js";
import type * as SharedPb from "@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js";
import type { ProposedRecord } from "./double-log.js";
import type { Protocol } from "./protocol.js";

export function streamName(identifierMessage: SharedPb.StreamIdentifier | undefined): string {
  if (identifierMessage === undefined) return "";
  return Buffer.from(identifierMessage.getStreamName_asU8()).toString("utf8");
}

export function identifier(protocol: Protocol, stream: string): SharedPb.StreamIdentifier {
  return new protocol.shared.StreamIdentifier().setStreamName(Buffer.from(stream, "utf8"));
}

export function proposedRecord(
  message: StreamsPb.AppendReq.ProposedMessage | StreamsPb.BatchAppendReq.ProposedMessage,
): ProposedRecord {
  const id = message.getId();
  return {
    id: id === undefined ? randomUUID() : uuidString(id),
    type: message.getMetadataMap().get("type") ?? "",
    contentType: message.getMetadataMap().get("content-type") ?? "application/octet-stream",
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

export function uuidString(uuid: SharedPb.UUID): string {
  if (uuid.hasString()) return uuid.getString().toLowerCase();
  const structured = uuid.getStructured();
  const most = BigInt.asUintN(64, BigInt(structured?.getMostSignificantBits() ?? "0"));
  const least = BigInt.asUintN(64, BigInt(structured?.getLeastSignificantBits() ?? "0"));
  const hex = most.toString(16).padStart(16, "0") + least.toString(16).padStart(16, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidMessage(protocol: Protocol, id: string, structured: boolean): SharedPb.UUID {
  const uuid = new protocol.shared.UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replaceAll("-", "");
  const most = BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`));
  const least = BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`));
  return uuid.setStructured(
    new protocol.shared.UUID.Structured()
      .setMostSignificantBits(String(most))
      .setLeastSignificantBits(String(least)),
  );
}
