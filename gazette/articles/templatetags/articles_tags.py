from django import template

from gazette.images.credits import combined_credit

register = template.Library()


@register.simple_tag
def group_credit(value) -> str:
    """The credit of an image group: the editor's, or the pictures' own credits, each once."""
    if value.get("credit"):
        return value["credit"]
    return combined_credit(image.credit for image in value["images"] if image is not None)
