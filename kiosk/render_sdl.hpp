// render_sdl.hpp — draws Dear ImGui's draw data with an SDL_Renderer, like
// Debian's imgui_impl_sdlrenderer (which still creates the font texture),
// but cheaper for SDL's software renderer, the kiosk's worst case without a
// GPU: solid-colour triangles go without a texture (no texel fetch per
// pixel), and opaque axis-aligned rectangles become SDL_RenderFillRect.
#pragma once

struct ImDrawData;
struct SDL_Renderer;

namespace pulse {

// Renders draw_data with renderer. The font atlas must be built (its white
// pixel marks solid-colour vertices). Same output as the ImGui backend.
void render_draw_data(SDL_Renderer* renderer, ImDrawData* draw_data);

}  // namespace pulse
