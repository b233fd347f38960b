// kiosk.cpp — wiring of platform, ImGui, pointer and terminal (see kiosk.hpp).
#include "kiosk/kiosk.hpp"

#include <chrono>
#include <ostream>

namespace pulse {

Terminal::Log log_to(std::ostream& out) {
    return [&out](const std::string& line) {
        const UnixSeconds now = std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
        out << format_iso_utc(now) << " pulse-kiosk: " << line << std::endl;
    };
}

std::unique_ptr<Kiosk> Kiosk::open(const LoadedConfig& cfg, const PlatformOptions& options,
                                   std::unique_ptr<AnswerWriter> writer, Rng rng, Millis now, UnixSeconds wall_now,
                                   Terminal::Log log, std::string* error) {
    std::unique_ptr<Kiosk> k(new Kiosk(cfg));
    k->platform_ = Platform::create(options, error);
    if (!k->platform_) return nullptr;
    k->palette_ = palette_for(cfg.config);
    k->layout_ = make_layout(static_cast<float>(k->platform_->width()), static_cast<float>(k->platform_->height()),
                             cfg.config.px_per_mm(), cfg.config.bottom_edge_m);
    // What the large fonts can be asked to draw: every screen text and every statement and theme title.
    std::string large_text = cfg.texts.all_text();
    for (const Question& q : cfg.bank.questions)
        for (const auto& [lang, text] : q.text) large_text += text;
    for (const Theme& t : cfg.bank.themes)
        for (const auto& [lang, text] : t.title) large_text += text;
    k->gui_ = Gui::create(*k->platform_, font_for(cfg.config), k->layout_, error, large_text);
    if (!k->gui_) return nullptr;
    std::map<std::string, int> counts;
    if (std::unique_ptr<AnswerStore> store = open_store_logged(cfg.config.database, log)) {
        counts = read_week_counts(store.get(), wall_now);
        // A rerun with the same seed on the same database must not draw the
        // same answer ids again: mix what is stored into the generator.
        rng.discard(static_cast<unsigned long long>(std::max<std::int64_t>(0, store->count_all())));
    }
    k->terminal_ = std::make_unique<Terminal>(cfg.bank, flow_settings_for(cfg.config), std::move(writer),
                                              std::move(rng), std::move(counts), now, wall_now, log);
    k->terminal_->set_schedule(cfg.config.schedule);
    k->terminal_->set_admin(cfg.config.admin_pin_hash, admin_lock_path(cfg.config.database), wall_now);
    k->terminal_->update(now, wall_now);  // outside the hours the first frame is already dark
    k->log_ = log;
    k->reload_news();
    return k;
}

bool Kiosk::reload_news() {
    std::string problem;
    std::optional<News> news = read_news(news_file_for(cfg_.config.database), &problem);
    if (!problem.empty() && log_) log_("news: the kept response cannot be read, so none is shown: " + problem);
    if (news == news_) return false;
    news_ = std::move(news);
    return true;
}

std::string Kiosk::shown_screen_name() const {
    switch (terminal_->admin().mode) {
        case AdminMode::off: break;
        case AdminMode::pin: return "admin PIN pad";
        case AdminMode::panel: return "admin panel";
        case AdminMode::touch_test: return "touch test";
    }
    return screen_name(terminal_->flow().screen);
}

bool Kiosk::frame(Millis now, UnixSeconds wall_now, float dt_s, bool present) {
    // The panel's facts: gathered when it opens and every few seconds while
    // it is open; forgotten when it closes.
    const AdminMode mode = terminal_->admin().mode;
    if (mode == AdminMode::off || mode == AdminMode::pin) {
        admin_info_at_.reset();
        upload_requested_ = false;
    } else if (!admin_info_at_ || now - *admin_info_at_ >= kAdminInfoRefresh_ms) {
        // Without a hook (a test's Simulator): what the config and database say.
        admin_info_ = admin_hooks_.gather ? admin_hooks_.gather()
                                          : gather_admin_info(cfg_.config, "", "", std::nullopt, {});
        admin_info_.brightness_percent = admin_hooks_.brightness ? admin_hooks_.brightness(0) : std::nullopt;
        admin_info_at_ = now;
    }
    admin_info_.upload_requested = upload_requested_;
    View view{terminal_->flow(), cfg_.bank, cfg_.texts, layout_, gui_->fonts(), palette_, &hits_};
    view.admin = terminal_->admin_enabled() ? &terminal_->admin() : nullptr;  // no PIN: no corner
    view.admin_info = admin_info_at_ ? &admin_info_ : nullptr;
    view.wall_now = wall_now;
    view.now_ms = now;
    view.news = news_ ? &*news_ : nullptr;
    const Intent intent = gui_->frame(view, pointer_, dt_s);
    if (present) gui_->present();
    if (intent.action == Intent::Action::none) return false;
    const bool changed = terminal_->apply(intent, now, wall_now);
    switch (terminal_->take_admin_request()) {
        case AdminRequest::none: break;
        case AdminRequest::upload_now:
            if (admin_hooks_.upload_now) admin_hooks_.upload_now();
            upload_requested_ = true;
            break;
        case AdminRequest::brighter:
            if (admin_hooks_.brightness) admin_info_.brightness_percent = admin_hooks_.brightness(+1);
            break;
        case AdminRequest::dimmer:
            if (admin_hooks_.brightness) admin_info_.brightness_percent = admin_hooks_.brightness(-1);
            break;
        case AdminRequest::restart:
            if (admin_hooks_.restart) admin_hooks_.restart();
            break;
    }
    return changed;
}

}  // namespace pulse
