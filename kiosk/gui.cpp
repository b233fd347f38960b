// gui.cpp — ImGui setup and one frame (see gui.hpp).
#include "kiosk/gui.hpp"

#include "kiosk/render_sdl.hpp"
#include "kiosk/widgets.hpp"

#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <cmath>
#include <fstream>
#include <map>

namespace pulse {

namespace {

// Latin-1 for Danish (æ ø å and friends) plus the punctuation outside it that
// our texts use: en and em dash, curly and low quotes („ “), bullet, ellipsis,
// and the single angle quotes of "‹ Tilbage".
const ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin + Latin-1 Supplement
    0x2013, 0x2014,  // – —
    0x2018, 0x201E,  // ‘ ’ ‚ “ ” „
    0x2022, 0x2022,  // •
    0x2026, 0x2026,  // …
    0x2039, 0x203A,  // ‹ ›
    0,
};

// The height of font_file's capital H as a share of the size ImGui loads it
// at (Open Sans: about 0.52), from the glyph's bounds in a probe atlas at a
// large size (so pixel rounding costs under 0.1 %). 0 if the font has no H.
float cap_height_share(const std::filesystem::path& font_file) {
    constexpr float kProbe_px = 1000;
    static const ImWchar just_h[] = {'H', 'H', 0};
    ImFontAtlas probe;
    ImFontConfig config;
    config.OversampleH = config.OversampleV = 1;
    ImFont* font = probe.AddFontFromFileTTF(font_file.c_str(), kProbe_px, &config, just_h);
    if (!font || !probe.Build()) return 0;
    const ImFontGlyph* h = font->FindGlyphNoFallback('H');
    return h ? (h->Y1 - h->Y0) / kProbe_px : 0;
}

// The glyphs of the last frame (see drawn_glyphs()), and the loaded font's
// capital height as a share of its size.
std::vector<DrawnGlyph> g_drawn_glyphs;
bool g_record_glyphs = false;  // record_drawn_glyphs
float g_cap_share = 0;

// Every glyph of the atlas by its (U0, V0), which is unique in the atlas,
// with its font and role: built once the atlas is (it never changes after).
struct KnownGlyph {
    const ImFont* font;
    const char* role;
    const ImFontGlyph* glyph;
};
std::map<std::pair<float, float>, KnownGlyph> g_glyph_by_uv;

void index_glyphs(const Fonts& fonts) {
    g_glyph_by_uv.clear();
    const std::pair<ImFont*, const char*> roles[] = {{fonts.headline, "headline"}, {fonts.statement, "statement"},
                                                     {fonts.button, "button"},     {fonts.title, "title"},
                                                     {fonts.fine, "fine"},         {fonts.admin, "admin"}};
    for (const auto& [font, role] : roles) {
        for (const ImFontGlyph& g : font->Glyphs) {
            if (g.Visible) g_glyph_by_uv.emplace(std::pair{g.U0, g.V0}, KnownGlyph{font, role, &g});
        }
    }
}

// Finds the glyph quads ImGui wrote into the frame's vertex buffers (4
// vertices whose corners carry a glyph's atlas coordinates) and notes each
// with its font's role and capital height as drawn.
void collect_glyphs(const ImDrawData* data, std::vector<DrawnGlyph>* out) {
    out->clear();
    const auto& by_uv = g_glyph_by_uv;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImVector<ImDrawVert>& v = data->CmdLists[n]->VtxBuffer;
        for (int i = 0; i + 3 < v.Size; ++i) {
            const auto it = by_uv.find(std::pair{v[i].uv.x, v[i].uv.y});
            if (it == by_uv.end()) continue;
            const ImFontGlyph& g = *it->second.glyph;
            if (v[i + 2].uv.x != g.U1 || v[i + 2].uv.y != g.V1) continue;
            const ImFont* font = it->second.font;
            // The quad's height over the glyph's own height is the size it was drawn at.
            const float drawn_scale = (g.Y1 > g.Y0) ? (v[i + 2].pos.y - v[i].pos.y) / (g.Y1 - g.Y0) : 1.0f;
            DrawnGlyph d;
            d.role = it->second.role;
            d.codepoint = g.Codepoint;
            d.cap_px = g_cap_share * font->FontSize * drawn_scale;
            d.x0 = v[i].pos.x;
            d.y0 = v[i].pos.y;
            d.x1 = v[i + 2].pos.x;
            d.y1 = v[i + 2].pos.y;
            out->push_back(d);
            i += 3;
        }
    }
}

}  // namespace

const std::vector<DrawnGlyph>& drawn_glyphs() { return g_drawn_glyphs; }

void record_drawn_glyphs(bool on) {
    g_record_glyphs = on;
    if (!on) g_drawn_glyphs.clear();
}

std::unique_ptr<Gui> Gui::create(Platform& platform, const std::filesystem::path& font_file, const Layout& layout,
                                 std::string* error, const std::string& large_text) {
    if (!std::ifstream(font_file).good()) {
        if (error) *error = "cannot read font " + font_file.string() + " (install Debian's fonts-open-sans, or set [display] font)";
        return nullptr;
    }
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    std::unique_ptr<Gui> gui(new Gui(platform));
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // an appliance keeps no ImGui settings file
    io.LogFilename = nullptr;
    ImGui::StyleColorsLight();

    // Sizes are capitals in millimetres on the glass (ui.hpp): ImGui sizes a
    // font by its line (ascent + descent), so the capital's share of the line
    // is measured first from this font's own 'H'.
    const float cap_share = cap_height_share(font_file);
    g_cap_share = cap_share;
    if (cap_share <= 0) {
        if (error) *error = "cannot measure the capital H of font " + font_file.string() + " (is it a TTF with Latin letters?)";
        return nullptr;
    }
    // Glyphs snap to whole pixels, so horizontal oversampling would only
    // widen the atlas (ImGui: "if PixelSnapH is enabled, you can set
    // OversampleH/V to 1"); at these sizes (30-80 px) it adds nothing seen.
    // The atlas is most of the kiosk's memory: each size is rasterized once.
    ImFontConfig config;
    config.OversampleH = 1;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    auto load = [&](float cap_mm, const ImWchar* ranges) {
        const float px = std::ceil(layout.mm(cap_mm) / cap_share);  // up: never below the rule
        return io.Fonts->AddFontFromFileTTF(font_file.c_str(), px, &config, ranges);
    };
    // The large fonts: printable ASCII and the characters of large_text
    // (within kGlyphRanges: the font has no others either).
    ImVector<ImWchar> large_ranges;
    if (!large_text.empty()) {
        ImFontGlyphRangesBuilder builder;
        for (ImWchar c = 0x20; c < 0x7F; ++c) builder.AddChar(c);
        ImFontGlyphRangesBuilder wanted;
        wanted.AddText(large_text.c_str());
        for (const ImWchar* r = kGlyphRanges; r[0]; r += 2) {
            for (unsigned c = r[0]; c <= r[1]; ++c)
                if (wanted.GetBit(c)) builder.AddChar(static_cast<ImWchar>(c));
        }
        builder.BuildRanges(&large_ranges);
    }
    const ImWchar* large = large_text.empty() ? kGlyphRanges : large_ranges.Data;
    gui->fonts_.headline = load(kHeadlineCap_mm, large);
    gui->fonts_.statement = load(kStatementCap_mm, large);
    gui->fonts_.button = load(kMinCap_mm, kGlyphRanges);
    gui->fonts_.title = gui->fonts_.button;  // the same size: one font, not three copies in the atlas
    gui->fonts_.fine = gui->fonts_.button;
    gui->fonts_.admin = load(kAdminCap_mm, kGlyphRanges);
    if (!gui->fonts_.headline || !gui->fonts_.statement || !gui->fonts_.button || !gui->fonts_.title ||
        !gui->fonts_.fine || !gui->fonts_.admin || !io.Fonts->Build()) {
        if (error) *error = "cannot load font " + font_file.string();
        return nullptr;
    }
    io.FontDefault = gui->fonts_.button;
    index_glyphs(gui->fonts_);
    set_legibility_floor_px(gui->fonts_.button->FontSize);  // kMinCap_mm: text_block shrinks no text below it

    ImGui_ImplSDL2_InitForSDLRenderer(platform.window());
    ImGui_ImplSDLRenderer_Init(platform.renderer());
    return gui;
}

Gui::~Gui() {
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
}

Intent Gui::frame(View& view, Pointer& pointer, float dt_s) {
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (platform_.turn().turned()) {
        // The backend measured the window (the panel); the screens are drawn
        // on the turned size, into the platform's render target, 1:1.
        io.DisplaySize = ImVec2(static_cast<float>(platform_.width()), static_cast<float>(platform_.height()));
        io.DisplayFramebufferScale = ImVec2(1, 1);
    }
    io.DeltaTime = dt_s > 0 ? dt_s : 1.0f / 60.0f;
    pointer.apply(io);  // after the backend, which would otherwise poll the mouse
    ImGui::NewFrame();
    view.hits->clear();
    const Intent intent = draw_screen(view);
    ImGui::Render();
    if (g_record_glyphs) collect_glyphs(ImGui::GetDrawData(), &g_drawn_glyphs);
    platform_.begin_frame();
    SDL_Renderer* r = platform_.renderer();
    SDL_SetRenderDrawColor(r, (view.palette.background >> 24) & 0xFF, (view.palette.background >> 16) & 0xFF,
                           (view.palette.background >> 8) & 0xFF, 0xFF);
    SDL_RenderClear(r);
    render_draw_data(r, ImGui::GetDrawData());
    return intent;
}

void Gui::present() { platform_.present(); }

}  // namespace pulse
