from django_tasks import task


@task()
def warm_image_renditions(image_id: int) -> int:
    """Generate the renditions of one image right after it is uploaded or changed."""
    from wagtail.images import get_image_model

    from .renditions import warm_renditions

    return warm_renditions(get_image_model().objects.filter(pk=image_id))
