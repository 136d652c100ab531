/**
 * The implementations behind maildns's dynamic resources, loaded by the
 * serialised delegates of zones/dynamic.ts in the engine's provider process
 * (package export `maildns/providers`). Every provider here defines every
 * method, so the delegate never calls a missing one.
 */
export { dkimKeyProvider as dkimKey } from "../components/dkim-key-provider";
export { zoneFileProvider as zoneFile, zoneRecordSetProvider as zoneRecordSet, zoneRecordsProvider as zoneRecords } from "./zonefile-provider";
export { rfc2136Provider as rfc2136, rfc2136RecordsProvider as rfc2136Records } from "./rfc2136-provider";
