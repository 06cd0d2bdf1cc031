// Shared by the policy tests: config nodes from YAML text, compilation through the registry, and
// request heads that hold views into a buffer, as the parser's do.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/node.h"
#include "config/node_reader.h"
#include "http/message.h"
#include "pipeline/exchange.h"
#include "policies/chain.h"
#include "policies/policy.h"
#include "policies/policy_states.h"

namespace gatehouse::policies::testing {

inline config::Node yaml_node(std::string_view text) {
  return config::parse_yaml(text, "policies.yaml");
}

// Compiles a policy node through the registry, as the config loader does.
inline CompileResult compile(std::string_view yaml) {
  const config::Node node = yaml_node(yaml);
  config::ConfigErrors errors;
  config::MapReader map(node, "policy", errors);
  const std::optional<config::Node> type = map.get("type");
  const PolicyFactory* factory = type ? find_policy_factory(type->scalar()) : nullptr;
  if (factory == nullptr) throw std::runtime_error("no factory for the node's type");
  return factory->compile(node, CompileContext{});
}

inline std::unique_ptr<const Policy> compile_ok(std::string_view yaml) {
  CompileResult result = compile(yaml);
  if (!result) {
    ADD_FAILURE() << "compile failed: " << result.error().to_string();
    return nullptr;
  }
  return std::move(*result);
}

// The error as the user reads it: "policies.yaml:line:col: message".
inline std::string compile_error(std::string_view yaml) {
  CompileResult result = compile(yaml);
  if (result) return "compiled without error";
  return result.error().to_string();
}

// Matches an error printed as "policies.yaml:<line>:<column>: <message>" whose message holds
// `text`.
inline ::testing::Matcher<std::string> error_at(int line, int column, std::string text) {
  return ::testing::AllOf(::testing::StartsWith("policies.yaml:" + std::to_string(line) + ":" +
                                                std::to_string(column) + ": "),
                          ::testing::HasSubstr(std::move(text)));
}

// A request head whose method, target and headers are views into a buffer owned by this object.
class TestRequest {
 public:
  TestRequest(std::string_view method, std::string_view path,
              std::initializer_list<std::pair<std::string_view, std::string_view>> headers) {
    buffer_.append(method).append(" ").append(path).append(" HTTP/1.1\r\n");
    for (const auto& [name, value] : headers) {
      buffer_.append(name).append(": ").append(value).append("\r\n");
    }
    const std::string_view text = buffer_;
    head_.method = text.substr(0, method.size());
    head_.target = head_.path = text.substr(method.size() + 1, path.size());
    size_t at = text.find("\r\n") + 2;
    for (const auto& [name, value] : headers) {
      const std::string_view field_name = text.substr(at, name.size());
      const std::string_view field_value = text.substr(at + name.size() + 2, value.size());
      head_.headers.push_back({field_name, field_value});
      at += name.size() + 2 + value.size() + 2;
    }
  }
  TestRequest(const TestRequest&) = delete;
  TestRequest& operator=(const TestRequest&) = delete;

  const http::RequestHead& head() const { return head_; }

 private:
  std::string buffer_;
  http::RequestHead head_;
};

// Gives one policy its per-request state slot in `exchange`, as the runner does, for as long as
// this object lives.
class StateSlot {
 public:
  StateSlot(const Policy& policy, Exchange& exchange) : chain_({&policy}) {
    states_.begin(chain_);
    exchange.policy_state = states_.start(0);
  }

 private:
  Chain chain_;
  PolicyStates states_;  // after chain_: its states end while the chain is alive
};

// The values a header edit list adds under this name (case-insensitive), in order.
inline std::vector<std::string> added(const http::HeaderEdits& edits, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [added_name, value] : edits.add) {
    if (http::iequals(added_name, name)) values.push_back(value);
  }
  return values;
}

// The value of a local response's header, or "(absent)".
inline std::string header_of(const pipeline::LocalResponse& response, std::string_view name) {
  for (const auto& [header, value] : response.headers) {
    if (http::iequals(header, name)) return value;
  }
  return "(absent)";
}

}  // namespace gatehouse::policies::testing
