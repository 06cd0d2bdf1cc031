#include "server/gateway.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>
#include <optional>
#include <thread>

#include "admin/admin_server.h"
#include "config/loader.h"
#include "core/worker_barrier.h"
#include "core/worker_index.h"
#include "keymanager/server/registered_client.h"
#include "net/as_result.h"
#include "net/listen.h"
#include "net/tls.h"
#include "observability/access_log.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "proxy/health_checker.h"
#include "redis/settings.h"
#include "security/auth/revocations.h"
#include "server/client_registrations.h"
#include "server/ports_file.h"
#include "server/resident_key_manager.h"
#include "server/revocation_announcer.h"
#include "server/worker.h"
#include "snapshot/snapshot.h"
#include "throttling/runtime.h"

namespace gatehouse::server {

namespace asio = boost::asio;
namespace log = observability::log;
namespace fs = std::filesystem;

namespace {

using net::as_result;

void log_errors(const config::ConfigErrors& errors) {
  for (const std::string& line : errors.report()) log::error("{}", line);
}

void log_warnings(const config::Config& config) {
  for (const config::ConfigError& warning : config.warnings) {
    log::warn("{}", warning.to_string());
  }
}

security::Revocations::Limits revocation_limits(const config::Config& config) {
  const config::RevocationLimitsConfig limits =
      config.admin ? config.admin->revocations : config::RevocationLimitsConfig{};
  return {limits.capacity, std::chrono::duration_cast<std::chrono::seconds>(limits.max_lifetime)};
}

// What identifies a version of the config file on disk, to notice edits without inotify.
struct FileStamp {
  fs::file_time_type modified{};
  uintmax_t size = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp stamp(const std::string& path) {
  std::error_code error;
  FileStamp s;
  s.modified = fs::last_write_time(path, error);
  s.size = fs::file_size(path, error);
  return s;
}

// What a reload cannot change (it takes effect at the next restart), as the gateway started.
struct StartedSettings {
  size_t listeners = 0;
  uint32_t workers = 0;
  std::optional<config::ClusterMode> cluster_mode;  // absent: counted here only
  std::optional<std::string> oauth2_issuer;         // absent: no key manager is served
  config::Millis shutdown_timeout{};
};

std::optional<config::ClusterMode> cluster_mode(const config::Config& config) {
  if (!config.throttling.cluster) return std::nullopt;
  return config.throttling.cluster->mode;
}

std::optional<std::string> oauth2_issuer(const config::Config& config) {
  if (!config.oauth2_server) return std::nullopt;
  return config.oauth2_server->issuer;
}

class Gateway {
 public:
  Gateway(std::string config_path, std::string ports_file)
      : config_path_(std::move(config_path)), ports_file_(std::move(ports_file)) {}

  int run() {
    // A reader waiting for the file must not take an earlier run's ports for ours.
    if (!ports_file_.empty()) remove_ports_file(ports_file_);
    auto loaded = config::load_file(config_path_);
    if (!loaded) {
      log_errors(loaded.error());
      return 1;
    }
    const size_t worker_count = gatehouse::worker_count(loaded->workers);
    metrics_ = std::make_unique<observability::Metrics>(worker_count, GATEHOUSE_VERSION);
    // Revocations are posted by the admin listener, which serves only once the workers exist.
    revocations_ = std::make_shared<security::Revocations>(worker_count, post_to_worker(),
                                                           revocation_limits(*loaded));
    runtime_.revocations = revocations_;
    if (loaded->oauth2_server && !start_key_manager(*loaded)) return 1;
    throttling_.set_workers(worker_count);
    log_warnings(*loaded);
    auto snapshot = compile(std::move(*loaded));
    if (!snapshot) return 1;
    const config::Config& config = (*snapshot)->config;
    started_ = {config.listeners.size(), config.workers, cluster_mode(config),
                oauth2_issuer(config), config.shutdown_timeout};

    auto access_log = observability::AccessLog::open(config.access_log.path);
    if (!access_log) {
      log::error("access log: {}", access_log.error());
      return 1;
    }
    access_log_ = std::move(*access_log);

    auto listeners = bind_listeners(config);
    if (!listeners) {
      log::error("{}", listeners.error());
      return 1;
    }
    for (size_t i = 0; i < worker_count; ++i) {
      workers_.push_back(
          std::make_unique<Worker>(i, metrics_->worker(i), access_log_->make_writer(),
                                   key_manager_ ? &key_manager_->endpoints() : nullptr));
      if (auto listening = workers_.back()->listen(*listeners); !listening) {
        log::error("{}", listening.error());
        return 1;
      }
      // Port 0 is bound by the first worker; the others join the port it got.
      if (i == 0) *listeners = workers_.front()->listeners();
    }
    if (config.admin) {
      admin_ = std::make_unique<admin::AdminServer>(
          control_, *config.admin,
          admin::AdminServices{
              *metrics_, [this] { return ready_.load(); }, revocations_.get(),
              [this] { return installed(); }, subscription_updates(), blocking_updates(),
              key_manager_ ? &key_manager_->endpoints() : nullptr, signing_key_rotation(),
              admin::ApplicationKeyUpdates{
                  key_manager_ ? &key_manager_->application_keys() : nullptr,
                  subscription_updates()},
              application_updates(), every_worker()});
      if (auto started = admin_->start(); !started) {
        log::error("admin listener: {}", started.error());
        return 1;
      }
    }
    current_ = *snapshot;
    runtime_.directory.commit();
    if (config.throttling.cluster) enable_throttling_cluster(*config.throttling.cluster);
    for (auto& worker : workers_) worker->start(*snapshot, runtime_.directory.current());
    install_file_blocking_conditions(config);
    if (config.throttling.cluster) {
      for (auto& worker : workers_) {
        worker->post([this] { throttling_.shared()->start(); });
      }
    }
    ready_ = true;
    for (const BoundListener& listener : *listeners) {
      log::info("listening on {} ({}{})", net::address_text(listener.endpoint), listener.info.name,
                listener.tls ? ", TLS" : "");
    }
    std::optional<asio::ip::tcp::endpoint> admin_endpoint;
    if (admin_) {
      admin_endpoint = admin_->local_endpoint();
      log::info("listening on {} (admin)", net::address_text(*admin_endpoint));
    }
    if (admin_) {
      log::info("admin listening on {}:{}{}{}", config.admin->address.host, admin_->port(),
                admin_->tls() ? ", TLS" : "",
                config.admin->authenticates() ? ", authenticated" : "");
    }
    log::info("gatehouse started: {} worker(s), {} API(s)", worker_count, config.apis.size());
    if (!ports_file_.empty()) {
      auto written = write_ports_file(ports_file_, ports_json(*listeners, admin_endpoint));
      if (!written) {
        log::error("ports file: {}", written.error());
        shutdown();
        return 1;
      }
    }

    asio::co_spawn(control_, handle_signals(), asio::detached);
    asio::co_spawn(control_, watch_config_file(), asio::detached);
    asio::co_spawn(control_, prepare_throttling_windows(), asio::detached);
    if (key_manager_) asio::co_spawn(control_, maintain_key_manager(), asio::detached);
    if (key_manager_ && key_manager_->fetches_trusted_keys()) {
      asio::co_spawn(control_, fetch_trusted_keys(), asio::detached);
    }
    control_.run();
    return shutdown();
  }

 private:
  // Finds the worker when called: the revocation list and the key manager are made before the
  // workers, and post to them only once they run.
  PostToWorker post_to_worker() {
    return [this](size_t worker, std::function<void()> task) {
      workers_.at(worker)->post(std::move(task));
    };
  }

  // What answers a change through the admin listener, or a revocation, waits for: every worker
  // has run what the control thread posted to it before.
  WorkerBarrier every_worker() {
    return [this, post = post_to_worker()](std::function<void()> then) {
      after_every_worker(workers_.size(), post, std::move(then));
    };
  }

  // The built-in key manager, for the process's life; its tokens are verified with its key
  // ring's keys, in memory. A reload does not change it.
  bool start_key_manager(const config::Config& config) {
    auto started = ResidentKeyManager::start(
        config, revocations_through_control(control_, *revocations_, every_worker()));
    if (!started) {
      log::error("{}", started.error());
      return false;
    }
    key_manager_ = std::move(*started);
    // A rotation due while the gateway was stopped happens before the first token is signed.
    key_manager_->maintain_signing_keys();
    runtime_.key_managers.set_resident(key_manager_->resident_issuer());
    // The keys made through the admin listener join their applications from the first store on.
    std::vector<security::IssuedKey> issued;
    for (const keymanager::ClientPtr& client : key_manager_->application_keys().registered()) {
      issued.push_back(keymanager::issued_key_of(*client));
    }
    runtime_.directory.set_issued_keys(std::move(issued));
    if (!load_registered_applications()) return false;
    if (key_manager_->offers_registration()) {
      registrations_ = std::make_unique<ClientRegistrations>(RegistrationTargets{
          control_, key_manager_->application_keys(), key_manager_->registered_applications(),
          runtime_.directory, subscription_updates().install, every_worker(),
          config.oauth2_server->registration->max_clients});
      key_manager_->set_registrar(*registrations_);
    }
    log::info("oauth2_server: issuer {}, store {}", config.oauth2_server->issuer,
              config.oauth2_server->store);
    return true;
  }

  // The applications and subscription changes made through the admin listener in earlier runs,
  // on top of the file's from the first store on.
  bool load_registered_applications() {
    keymanager::RegisteredApplications& registered = key_manager_->registered_applications();
    auto applications = registered.applications();
    if (!applications) {
      log::error("oauth2_server: {}", applications.error());
      return false;
    }
    auto changes = registered.subscription_changes();
    if (!changes) {
      log::error("oauth2_server: {}", changes.error());
      return false;
    }
    runtime_.directory.set_registered_applications(std::move(*applications));
    runtime_.directory.set_changes(*changes);
    return true;
  }

  // The admin listener's rotation of the key manager's signing key, on the control thread as the
  // scheduled one is: the two never run at once.
  std::function<std::expected<std::shared_ptr<const keymanager::KeyRing>, std::string>()>
  signing_key_rotation() {
    if (!key_manager_) return nullptr;
    return [this] { return key_manager_->rotate_signing_key(); };
  }

  // What the admin routes read: the last installed config and signing key, kept alive by the
  // snapshot they alias. Runs on the control thread, as reloads do.
  admin::InstalledState installed() const {
    if (!current_) return {};
    return {std::shared_ptr<const config::Config>(current_, &current_->config),
            current_->security ? current_->security->gateway_key() : nullptr};
  }

  // The admin listener's path for changes of subscriptions: the directory makes a new store, and
  // every worker gets it, with no snapshot compiled.
  admin::SubscriptionUpdates subscription_updates() {
    return {&runtime_.directory,
            [this](security::SubscriptionsPtr store) {
              for (auto& worker : workers_) worker->install(store);
              log::info("subscriptions changed: {} application(s), {} subscription(s)",
                        store->application_count(), store->subscription_count());
            },
            [this](std::string_view tier) {
              const auto& tiers = current_->config.throttling.subscription_tiers;
              return std::ranges::any_of(tiers, [&](const auto& t) { return t.name == tier; });
            },
            key_manager_ ? &key_manager_->registered_applications() : nullptr};
  }

  admin::ApplicationUpdates application_updates() {
    return {key_manager_ ? &key_manager_->registered_applications() : nullptr,
            subscription_updates(), [this](std::string_view tier) {
              const auto& tiers = current_->config.throttling.application_tiers;
              return std::ranges::any_of(tiers, [&](const auto& t) { return t.name == tier; });
            }};
  }

  // Counts shared through Redis: each worker gets its own connection. Fixed at start, like the
  // listeners: a reload that changes throttling.cluster takes effect at the next restart.
  void enable_throttling_cluster(const config::ThrottleCluster& cluster) {
    std::vector<asio::any_io_executor> executors;
    for (const auto& worker : workers_) executors.push_back(worker->executor());
    throttling_.enable_cluster(cluster, executors);
    const bool sentinels = !cluster.redis.sentinels.empty();
    log::info("throttling counts shared through redis {} ({} mode, {} node(s))",
              sentinels ? "master '" + cluster.redis.master_name + "' (sentinels)"
                        : redis::to_string(cluster.redis.address),
              cluster.mode == config::ClusterMode::exact   ? "exact"
              : cluster.mode == config::ClusterMode::lease ? "lease"
                                                           : "fast",
              cluster.nodes);
  }

  // The path of blocking conditions, from the admin listener and from the file: every worker
  // gets the new list, with no snapshot compiled.
  admin::BlockingUpdates blocking_updates() {
    return {&throttling_.blocking_conditions(),
            [this](throttling::BlockingListPtr list) { install_blocking(std::move(list)); }};
  }

  // The config file's conditions replace the last file's; those added through the admin listener
  // stay.
  void install_file_blocking_conditions(const config::Config& config) {
    throttling_.blocking_conditions().set_from_file(config.throttling.blocking_conditions);
    install_blocking(throttling_.blocking_conditions().current());
  }

  void install_blocking(throttling::BlockingListPtr list) {
    log::info("blocking conditions: {}", list->rules().size());
    for (auto& worker : workers_) {
      worker->post([this, list] { throttling_.install_blocking(list); });
    }
  }

  std::optional<snapshot::SnapshotPtr> load() {
    auto config = config::load_file(config_path_);
    if (!config) {
      log_errors(config.error());
      return std::nullopt;
    }
    // The key manager started with the process: a config whose gateway would expect another
    // issuer (or none) would refuse every token it issues.
    if (oauth2_issuer(*config) != started_.oauth2_issuer) {
      log::error("oauth2_server: its presence and issuer change only at a restart");
      return std::nullopt;
    }
    return compile(std::move(*config));
  }

  std::optional<snapshot::SnapshotPtr> compile(config::Config config) {
    auto snapshot =
        snapshot::compile_snapshot(std::move(config), *metrics_, &health_, runtime_, throttling_);
    if (!snapshot) {
      log_errors(snapshot.error());
      return std::nullopt;
    }
    return *snapshot;
  }

  std::expected<std::vector<BoundListener>, std::string> bind_listeners(
      const config::Config& config) {
    std::vector<BoundListener> bound;
    for (const config::ListenerConfig& listener : config.listeners) {
      auto endpoint = net::resolve_listen_address(listener.address);
      if (!endpoint)
        return std::unexpected("listener '" + listener.name + "': " + endpoint.error());
      BoundListener b{
          {listener.name, listener.tls.has_value(), listener.paths}, *endpoint, nullptr};
      if (listener.tls) {
        auto tls = net::make_server_tls(*listener.tls);
        if (!tls) return std::unexpected("listener '" + listener.name + "': " + tls.error());
        b.tls = *tls;
      }
      bound.push_back(std::move(b));
    }
    return bound;
  }

  void reload(const char* why) {
    log::info("reloading {} ({})", config_path_, why);
    auto snapshot = load();
    if (!snapshot) {
      log::error("reload failed; still serving the previous configuration");
      return;
    }
    const config::Config& config = (*snapshot)->config;
    log_warnings(config);
    if (config.listeners.size() != started_.listeners || config.workers != started_.workers) {
      log::warn("listener and worker changes take effect at the next restart");
    }
    if (cluster_mode(config) != started_.cluster_mode) {
      log::warn("throttling.cluster changes take effect at the next restart");
    }
    if (config.oauth2_server) {
      log::info("oauth2_server: its store, lifetimes and clients are those it started with");
    }
    if (admin_ && config.admin) {
      // Hosts and credentials apply at once; the address and TLS at the next restart.
      if (auto updated = admin_->update(*config.admin); !updated) {
        log::error("admin listener: {}", updated.error());
      }
    }
    revocations_->set_limits(revocation_limits(config));
    current_ = *snapshot;
    runtime_.directory.commit();
    for (auto& worker : workers_) worker->install(*snapshot, runtime_.directory.current());
    install_file_blocking_conditions(config);
    health_.retain_only(**snapshot);
    log::info("reloaded: {} API(s)", config.apis.size());
  }

  asio::awaitable<void> handle_signals() {
    asio::signal_set signals(control_, SIGHUP, SIGTERM, SIGINT);
    for (;;) {
      auto [error, signal] = co_await signals.async_wait(as_result);
      if (error) co_return;
      if (signal == SIGHUP) {
        // Also the signal of log rotation: the access log file is opened anew.
        if (auto reopened = access_log_->reopen(); !reopened) {
          log::error("access log: {}", reopened.error());
        }
        reload("SIGHUP");
        continue;
      }
      log::info("shutting down ({})", signal == SIGTERM ? "SIGTERM" : "SIGINT");
      control_.stop();
      co_return;
    }
  }

  asio::awaitable<void> watch_config_file() {
    asio::steady_timer timer(control_);
    FileStamp last = stamp(config_path_);
    for (;;) {
      timer.expires_after(std::chrono::seconds(1));
      if (std::get<0>(co_await timer.async_wait(as_result))) co_return;
      const FileStamp now = stamp(config_path_);
      if (now == last) continue;
      last = now;
      reload("file changed");
    }
  }

  // Empties the counters of each window length's next window before it starts, so that requests
  // find it ready (throttling/window_counters.h). A window is at least a second long.
  asio::awaitable<void> prepare_throttling_windows() {
    asio::steady_timer timer(control_);
    for (;;) {
      throttling_.tick(throttling::unix_now());
      timer.expires_after(std::chrono::milliseconds(250));
      if (std::get<0>(co_await timer.async_wait(as_result))) co_return;
    }
  }

  // The key manager's scheduled rotation and the removal of keys whose tokens have all expired,
  // and of its expired opaque tokens from memory. A minute apart: a rotation is due after days, a
  // removal after a token lifetime, and an expired opaque token is refused meanwhile anyway.
  asio::awaitable<void> maintain_key_manager() {
    asio::steady_timer timer(control_);
    for (;;) {
      timer.expires_after(std::chrono::minutes(1));
      if (std::get<0>(co_await timer.async_wait(as_result))) co_return;
      key_manager_->maintain_signing_keys();
      key_manager_->purge_expired_tokens();
    }
  }

  // The trusted issuers' keys from a jwks_uri: fetched at once, then checked every two seconds,
  // so that a JWT naming a kid they lack has them fetched again soon (FetchedKeys decides when).
  asio::awaitable<void> fetch_trusted_keys() {
    asio::steady_timer timer(control_);
    for (;;) {
      co_await key_manager_->fetch_trusted_keys();
      timer.expires_after(std::chrono::seconds(2));
      if (std::get<0>(co_await timer.async_wait(as_result))) co_return;
    }
  }

  int shutdown() {
    ready_ = false;
    if (!ports_file_.empty()) remove_ports_file(ports_file_);
    for (auto& worker : workers_) worker->drain();
    const auto deadline = std::chrono::steady_clock::now() + started_.shutdown_timeout;
    bool clean = true;
    for (auto& worker : workers_) clean = worker->join_until(deadline) && clean;
    if (!clean) {
      log::warn("shutdown timeout: closing the connections still busy");
      for (auto& worker : workers_) worker->stop_now();
      const auto stopped = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      for (auto& worker : workers_) worker->join_until(stopped);
    }
    // The Redis connections before the workers' io_contexts they are bound to.
    throttling_.disable_cluster();
    workers_.clear();
    health_.stop_all();
    if (admin_) admin_->stop();
    access_log_->flush_all();
    log::info("stopped");
    return 0;
  }

  std::string config_path_;
  std::string ports_file_;  // empty: none is written
  StartedSettings started_;
  snapshot::SnapshotPtr current_;  // the last installed; read and written on the control thread
  asio::io_context control_{1};
  proxy::HealthChecker health_{control_.get_executor()};
  std::unique_ptr<observability::Metrics> metrics_;
  // Outlive the workers (declared before them): their queues may hold revocations' inserts and
  // stores of subscriptions.
  std::shared_ptr<security::Revocations> revocations_;
  // Outlives the workers, which serve its endpoints; its store thread ends after them.
  std::unique_ptr<ResidentKeyManager> key_manager_;
  std::unique_ptr<ClientRegistrations> registrations_;  // with oauth2_server registration only
  security::Runtime runtime_;  // what a reload keeps: key managers, token caches, subscriptions
  throttling::Runtime throttling_;  // and the throttling counts
  std::unique_ptr<observability::AccessLog> access_log_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<admin::AdminServer> admin_;
  std::atomic<bool> ready_{false};
};

}  // namespace

int run_gateway(const std::string& config_path, const std::string& ports_file) {
  return Gateway(config_path, ports_file).run();
}

}  // namespace gatehouse::server
