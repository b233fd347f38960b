// gui.hpp — Dear ImGui on a Platform: context, style, fonts sized for the
// window, the SDL2 platform backend and the SDL_Renderer backend, and one
// call that renders a frame of the current screen.
#pragma once

#include "kiosk/platform.hpp"
#include "kiosk/pointer.hpp"
#include "kiosk/ui.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace pulse {

// One letter drawn in a frame, for the legibility tests.
struct DrawnGlyph {
    const char* role = "";   // "statement", "headline", "button" (also title and fine: one size), "admin"
    unsigned codepoint = 0;  // the character
    float cap_px = 0;        // the height of a capital of this font at the size it was drawn, pixels
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // the glyph's quad, layout pixels
};

// The letters of the last frame Gui::frame rendered (there is one ImGui
// context per process, so one list): every text on screen, however it was
// drawn (text_block, AddText), found in ImGui's vertex buffers. Empty unless
// record_drawn_glyphs(true) was called before that frame.
const std::vector<DrawnGlyph>& drawn_glyphs();

// Turns the recording of drawn_glyphs() on or off for this process. Off by
// default: the kiosk and simulate pay nothing for it (a lookup per vertex);
// the legibility tests turn it on.
void record_drawn_glyphs(bool on);

class Gui {
public:
    // Sets up ImGui for platform and loads font_file at the sizes of layout.
    // The large fonts (headline, statement) get glyphs only for the
    // characters of large_text (every text and statement the screens can
    // show in them) and printable ASCII, when it is given: their glyphs are
    // most of the atlas, and the atlas most of the start-up time and memory;
    // an empty large_text gives them every glyph the small fonts have.
    // Returns nullptr and sets *error if the font cannot be loaded.
    static std::unique_ptr<Gui> create(Platform& platform, const std::filesystem::path& font_file,
                                       const Layout& layout, std::string* error, const std::string& large_text = {});
    ~Gui();
    Gui(const Gui&) = delete;
    Gui& operator=(const Gui&) = delete;

    const Fonts& fonts() const { return fonts_; }

    // Renders one frame, unpresented: feeds pointer (layout coordinates) into
    // ImGui, draws the screen of view.flow on the layout's size (the turned
    // size on a turned panel, into the platform's render target). dt_s is
    // the time since the last frame (fixed in the simulator so frames are
    // repeatable). Returns the intent from this frame; view.hits is filled
    // with the elements drawn, in layout coordinates. Cannot fail (SDL's
    // drawing calls report nothing we could act on).
    Intent frame(View& view, Pointer& pointer, float dt_s);

    // Puts the frame rendered by frame() on the panel (turned, if it is).
    void present();

private:
    explicit Gui(Platform& platform) : platform_(platform) {}
    Platform& platform_;
    Fonts fonts_;
};

}  // namespace pulse
