// What a policy's request or response step decided.
#pragma once

namespace gatehouse::pipeline {

enum class Verdict {
  // Go on with the next policy, and then the backend (or the client).
  proceed,
  // The policy must wait for I/O (a cache miss, an introspection call, a counter in Redis): the
  // runner awaits the policy's async step (on_request_async, on_response_async) and uses its
  // verdict. A policy without I/O never returns this.
  wait,
  // The policy has set `exchange.local_response`; no further request policy runs and the backend
  // is not called. Response steps of the policies that ran still see the local response.
  respond,
};

}  // namespace gatehouse::pipeline
