from django import template

register = template.Library()


@register.simple_tag
def group_credit(value) -> str:
    """The credit of an image group: the editor's, or the pictures' own credits, each once."""
    if value.get("credit"):
        return value["credit"]
    credits: list[str] = []
    for image in value["images"]:
        if image is not None and image.credit and image.credit not in credits:
            credits.append(image.credit)
    return "; ".join(credits)
