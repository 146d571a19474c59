// The UI's triangles: imgui's vertices (pixels, uv, colour) over its textures, into an rgba8unorm target.
// No gamma step: targets here are not sRGB, and a pow per fragment costs lavapipe milliseconds a frame.

struct Uniforms {
    mvp: mat4x4<f32>,
    gamma: f32,
};

struct VertexInput {
    @location(0) position: vec2<f32>,
    @location(1) uv: vec2<f32>,
    @location(2) color: vec4<f32>,
};

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    @location(0) color: vec4<f32>,
    @location(1) uv: vec2<f32>,
};

@group(0) @binding(0) var<uniform> uniforms: Uniforms;
@group(0) @binding(1) var ui_sampler: sampler;
@group(1) @binding(0) var ui_texture: texture_2d<f32>;

@vertex
fn vs_main(in: VertexInput) -> VertexOutput {
    var out: VertexOutput;
    out.position = uniforms.mvp * vec4<f32>(in.position, 0.0, 1.0);
    out.color = in.color;
    out.uv = in.uv;
    return out;
}

@fragment
fn fs_main(in: VertexOutput) -> @location(0) vec4<f32> {
    return in.color * textureSample(ui_texture, ui_sampler, in.uv);
}
