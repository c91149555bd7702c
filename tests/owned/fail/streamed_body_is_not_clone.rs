//! A request whose body may be a stream (raw bytes, a multipart form) is not `Clone`:
//! a stream can be sent once, and a clone would share it.

use orq_tests::usage_sdks::files::Files;

fn main() {
    let client = Files::builder().build().unwrap();
    let upload = client.files().upload_file("1", orq_runtime::Body::from(vec![1u8]));
    let _again = upload.clone();
}
