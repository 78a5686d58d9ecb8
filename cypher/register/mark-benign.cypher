// Mark the identifiers of the benign register (already normalised and hashed in Python) and
// unmark those that an earlier register version listed but this one does not.
// Params: $entries = [{kind, key, reason}], $version = the register's version string.
CALL () {
  MATCH (n) WHERE (n:Address OR n:IP OR n:PaymentInstrument OR n:Device OR n:Email OR n:Phone)
    AND n.benign = true AND n.benign_register <> $version
  REMOVE n.benign, n.benign_reason, n.benign_register
}
UNWIND $entries AS e
CALL (e) {
  MATCH (n:Address {hash: e.key}) WHERE e.kind = 'address' RETURN n
  UNION
  MATCH (n:IP {ip: e.key}) WHERE e.kind = 'ip' RETURN n
  UNION
  MATCH (n:PaymentInstrument {token: e.key}) WHERE e.kind = 'payment' RETURN n
  UNION
  MATCH (n:Device {device_id: e.key}) WHERE e.kind = 'device' RETURN n
  UNION
  MATCH (n:Email {hash: e.key}) WHERE e.kind = 'email' RETURN n
  UNION
  MATCH (n:Phone {hash: e.key}) WHERE e.kind = 'phone' RETURN n
}
SET n.benign = true, n.benign_reason = e.reason, n.benign_register = $version
RETURN count(n) AS marked
