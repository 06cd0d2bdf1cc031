#include "admin/application_routes.h"

#include <boost/json/array.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/pchars.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "admin/responses.h"
#include "keymanager/server/registered_applications.h"
#include "security/auth/application_directory.h"
#include "security/jose/strict_json.h"
#include "security/tokens/key_type_label.h"
#include "security/tokens/random_uuid.h"

namespace gatehouse::admin {
namespace {

namespace json = boost::json;

constexpr std::string_view kApplicationsPath = "/applications";
constexpr size_t kLongestName = 100;
constexpr size_t kLongestId = 64;

// The percent-decoded id of /applications/{id}; nullopt for /applications itself, or a path
// that is neither.
std::optional<std::string> application_id_of(std::string_view path) {
  if (path.size() <= kApplicationsPath.size() + 1) return std::nullopt;
  const std::string_view segment = path.substr(kApplicationsPath.size() + 1);
  auto decoded = boost::urls::make_pct_string_view(segment);
  if (!decoded || decoded->empty()) return std::nullopt;
  return decoded->decode();
}

json::object application_json(const identity::Application& application,
                              const security::ApplicationDirectory& directory) {
  return {{"applicationId", application.id},
          {"name", application.name},
          {"owner", application.owner},
          {"throttlingPolicy", application.tier},
          {"source", directory.is_registered(application.id) ? "admin" : "config"}};
}

// One application with its keys (which key manager, which consumer key, which type).
json::object application_with_keys_json(const identity::Application& application,
                                        const security::ApplicationDirectory& directory) {
  json::object answer = application_json(application, directory);
  json::array keys;
  for (const identity::ApplicationKey& key : application.keys) {
    keys.push_back(json::object{{"keyManager", key.key_manager},
                                {"consumerKey", key.consumer_key},
                                {"keyType", tokens::key_type_label(key.type)}});
  }
  answer["keys"] = std::move(keys);
  return answer;
}

bool is_printable_text(std::string_view text) {
  return std::ranges::none_of(text, [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// An application id stays one path segment, readable in a log and a URL.
bool is_application_id(std::string_view id) {
  return !id.empty() && id.size() <= kLongestId && std::ranges::all_of(id, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

std::expected<std::string, std::string> read_application_text(const json::value& value,
                                                              std::string_view name) {
  if (!value.is_string() || value.get_string().empty() ||
      value.get_string().size() > kLongestName || !is_printable_text(value.get_string())) {
    return std::unexpected("\"" + std::string(name) + "\" must be a string of 1 to " +
                           std::to_string(kLongestName) + " printable characters");
  }
  return std::string(value.get_string());
}

// The body of a POST as the application it asks for (its id empty when none is named).
std::expected<identity::Application, std::string> read_application_body(std::string_view body) {
  auto parsed = jose::parse_object_strict(body);
  if (!parsed) return std::unexpected("the body must be one JSON object, each member once");
  identity::Application application{.owner = "admin", .tier = "Unlimited"};
  for (const auto& member : *parsed) {
    const std::string_view name = member.key();
    std::string* target = name == "name"               ? &application.name
                          : name == "owner"            ? &application.owner
                          : name == "throttlingPolicy" ? &application.tier
                          : name == "applicationId"    ? &application.id
                                                       : nullptr;
    if (target == nullptr) {
      return std::unexpected("unknown member '" + std::string(name) +
                             "'; expected name, owner, throttlingPolicy, applicationId");
    }
    auto text = read_application_text(member.value(), name);
    if (!text) return std::unexpected(text.error());
    *target = std::move(*text);
  }
  if (application.name.empty()) return std::unexpected("\"name\" is required");
  if (parsed->contains("applicationId") && !is_application_id(application.id)) {
    return std::unexpected("\"applicationId\" is 1 to " + std::to_string(kLongestId) +
                           " letters, digits, '-', '_' or '.'");
  }
  return application;
}

AdminResponse create_application(std::string_view body, const ApplicationUpdates& updates) {
  auto application = read_application_body(body);
  if (!application) return bad_request(application.error());
  if (updates.is_tier && !updates.is_tier(application->tier)) {
    return bad_request("\"throttlingPolicy\": '" + application->tier +
                       "' is not an application tier (throttling.application_tiers)");
  }
  security::ApplicationDirectory& directory = *updates.subscriptions.directory;
  if (application->id.empty()) {
    auto id = tokens::random_uuid();
    if (!id) return server_error(id.error());
    application->id = std::move(*id);
  }
  if (directory.has_application(application->id)) {
    return conflict("an application '" + application->id + "' exists already");
  }
  auto added = updates.registered->add(*application);
  if (!added) return server_error(added.error());
  if (!*added) {
    return conflict("an application '" + application->id + "', or one of owner '" +
                    application->owner + "' named '" + application->name + "', exists already");
  }
  auto store = directory.put_registered_application(*application);
  if (!store) {
    (void)updates.registered->remove(application->id);
    return refused(store.error());
  }
  updates.subscriptions.install(*store);
  AdminResponse response = json_response(201, application_json(*application, directory));
  response.headers.emplace_back("Location",
                                std::string(kApplicationsPath) + "/" +
                                    boost::urls::encode(application->id, boost::urls::pchars));
  return response;
}

AdminResponse remove_application(const std::string& id, const ApplicationUpdates& updates) {
  security::ApplicationDirectory& directory = *updates.subscriptions.directory;
  if (!directory.is_registered(id)) {
    if (directory.has_application(id)) {
      return conflict("application '" + id + "' is declared in the config file; change it there");
    }
    return not_found("no application '" + id + "'");
  }
  auto removed = updates.registered->remove(id);
  if (!removed) return server_error(removed.error());
  auto store = directory.remove_registered_application(id);
  if (!store) return refused(store.error());
  updates.subscriptions.install(*store);
  return AdminResponse{.status = 204};
}

AdminResponse list_applications(const security::ApplicationDirectory& directory) {
  json::array list;
  for (const identity::Application& application : directory.applications()) {
    list.push_back(application_json(application, directory));
  }
  const auto count = static_cast<int64_t>(list.size());
  return json_response(200, json::object{{"count", count}, {"list", std::move(list)}});
}

AdminResponse one_application(const std::string& id,
                              const security::ApplicationDirectory& directory) {
  for (const identity::Application& application : directory.applications()) {
    if (application.id == id) {
      return json_response(200, application_with_keys_json(application, directory));
    }
  }
  return not_found("no application '" + id + "'");
}

}  // namespace

bool is_applications_path(std::string_view path) {
  if (path == kApplicationsPath) return true;
  if (!path.starts_with(kApplicationsPath) || path.size() <= kApplicationsPath.size() + 1 ||
      path[kApplicationsPath.size()] != '/') {
    return false;
  }
  return path.find('/', kApplicationsPath.size() + 1) == std::string_view::npos;
}

AdminResponse route_applications(std::string_view method, std::string_view path,
                                 std::string_view body, const ApplicationUpdates& updates) {
  const security::ApplicationDirectory& directory = *updates.subscriptions.directory;
  const bool changes = updates.registered != nullptr;
  const bool reads = method == "GET" || method == "HEAD";
  if (path == kApplicationsPath) {
    if (reads) return list_applications(directory);
    if (method == "POST" && changes) return create_application(body, updates);
    return not_allowed(method, changes ? "GET, HEAD, POST" : "GET, HEAD");
  }
  const std::optional<std::string> id = application_id_of(path);
  if (!id) return bad_request("an application is addressed as /applications/{id}");
  if (reads) return one_application(*id, directory);
  if (method == "DELETE" && changes) return remove_application(*id, updates);
  return not_allowed(method, changes ? "GET, HEAD, DELETE" : "GET, HEAD");
}

}  // namespace gatehouse::admin
