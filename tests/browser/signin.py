def submit_password(page, email, password, *, press_enter=False):
    """Open the sign-in form, type *email* and *password* and send them.

    With *press_enter* the form is sent with Enter in the password box (whatever the
    button says), otherwise with the Sign in button.
    """
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    if press_enter:
        page.get_by_label("Password").press("Enter")
    else:
        page.get_by_role("button", name="Sign In").click()


def sign_in_through_form(page, email, password, *, press_enter=False):
    """Sign in with a password alone and wait to be past the sign-in page."""
    submit_password(page, email, password, press_enter=press_enter)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
