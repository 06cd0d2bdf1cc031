// The request phases, in the one order every chain runs them. A policy declares its phase; the
// snapshot compiler orders each chain by phase (and, within one, as configured), so no policy is
// ever placed by looking for another in the list.
//
//   cors            answers preflights, and owns the CORS headers of every answer, refusals too,
//                   so that a browser can read them
//   authentication  who is calling (OAuth2, JWT, API key, Basic, mutual TLS)
//   admission       what that caller may do here (subscription, scopes, IP and referrer)
//   throttling      how much of it (counters, quotas)
//   transformation  what the backend receives (headers, path rewrites)
//   endpoint_choice which endpoints serve it (sandbox keys, later canary or header routing)
//
// After the backend answered (or a policy did): the response steps of the policies that ran,
// in the reverse order, then the log steps.
#pragma once

#include <cstdint>

namespace gatehouse::pipeline {

enum class Phase : uint8_t {
  cors,
  authentication,
  admission,
  throttling,
  transformation,
  endpoint_choice,
};

}  // namespace gatehouse::pipeline
