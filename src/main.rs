fn main() {
    // index.html shows the home screen as plain HTML until the app runs (see `#boot` there).
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(veilig::App);
}
